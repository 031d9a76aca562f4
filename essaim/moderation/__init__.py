"""The shared moderation lifecycle of everything the public contributes.

How a module uses it
====================

1. Subclass the abstract base and say which fields a pending version may change::

       from essaim.moderation.models import Moderated

       class Initiative(Moderated):
           moderated_fields = ["name", "description", "themes", "address"]
           ...
           def get_absolute_url(self): ...

   ``Moderated`` adds ``status`` (``Status``: draft → pending → published / rejected /
   archived), ``is_hidden`` + ``hidden_at`` (hidden for review after reports),
   ``submitted_by`` (user, SET_NULL), ``submitter_email`` (anonymous contributions; never
   show it publicly), ``submitted_at``, ``published_at``, ``last_moderated_at``, and the
   manager ``ModeratedQuerySet``: ``public()`` (published and not hidden: **the** query
   for every public surface), ``pending()``, ``hidden()``, ``needing_review()``.
   A subclass with its own manager must base it on ``ModeratedQuerySet``.

2. Register the model from the module's ``AppConfig.ready()``::

       from essaim.moderation import registry
       registry.register(Initiative, detail_fields=["name", "description"],
                         select_related=["commune"], reportable=True)

   The moderators' queue (/admin/moderation/) and the report view then know it.

3. Change the lifecycle only through ``essaim.moderation.services`` (keyword-only; each
   records a ``ModerationEvent`` in the same transaction; e-mails go through tasks after
   commit): ``submit(obj=, by=, email=, address_hash=)``, ``publish(obj=, by=, reason=)``,
   ``reject(obj=, by=, reason=)`` (reason required), ``reject_many(objects=, by=, reason=)``,
   ``archive``, ``restore``, ``report(obj=, reason=, comment=, by=, address_hash=)``,
   ``dismiss_reports(obj=, by=, reason=)``, ``propose_edit(obj=, changes=, by=, email=)``,
   ``accept_edit(version=, by=, reason=)``, ``reject_edit(version=, by=, reason=)``,
   ``record_event(obj=, action=, by=, reason=, data=)`` and ``comment(obj=, by=, text=)``;
   ``block_addresses(hashes=, by=, reason=, expires_at=)`` blocks hashed addresses and
   refuses every pending item submitted from them; ``purge_address_hashes()`` forgets them.
   Refusals raise ``essaim.moderation.exceptions.ModerationError`` subclasses:
   ``TransitionNotAllowed``, ``ReasonRequired``, ``AlreadyReported``, ``InvalidEdit``.

4. Public forms for anonymous people inherit ``antispam.AntiSpamFormMixin`` first and are
   built with ``request=request`` (blocked addresses, honeypot, minimum fill time,
   per-address rate limit). Pass ``address_hash=form.address_hash`` on to ``submit`` so
   that moderators can block the address from the queue.

5. Link public detail pages to the report form: ``{{ obj.get_report_url }}``
   (URL name ``moderation:report``: ``/signaler/<app_label>.<model_name>/<pk>/``; it
   answers 404 for unregistered types and for items that are not ``public()``).

Generic models (ContentType + text object id): ``ModerationEvent`` (history; ``as_row()``
for exports), ``Report`` (one open report per reporter per item), ``PendingVersion``
(``diff()`` → ``DiffRow(label, current, proposed)``; ``apply_to(obj)``). Each has
``Model.for_object(obj)``.

Settings: ``ESSAIM_REPORTS_BEFORE_HIDING`` (3), ``ESSAIM_ANTISPAM_MIN_SECONDS`` (3),
``ESSAIM_ANTISPAM_RATE_LIMIT`` (5), ``ESSAIM_ANTISPAM_RATE_WINDOW`` (3600 s),
``ESSAIM_ADDRESS_HASH_DAYS`` (30). See docs/moderation.md.
"""
