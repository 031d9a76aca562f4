from wagtail import hooks

from essaim.experiences.choosers import (
    commune_chooser,
    event_chooser,
    initiative_chooser,
    user_chooser,
)


@hooks.register("register_admin_viewset")
def register_choosers():
    return [initiative_chooser, event_chooser, commune_chooser, user_chooser]
