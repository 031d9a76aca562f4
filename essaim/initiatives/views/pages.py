from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from essaim.initiatives.models import Initiative


@require_safe
def detail(request, slug):
    initiative = get_object_or_404(Initiative.objects.public().select_related("commune"), slug=slug)
    return render(request, "initiatives/detail.html", {"initiative": initiative})
