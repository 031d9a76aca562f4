"""Errors raised by the moderation services; views turn them into French messages."""


class ModerationError(Exception):
    """Base of every refusal by the moderation services."""


class TransitionNotAllowed(ModerationError):
    """A lifecycle change that the item's current status does not allow."""


class ReasonRequired(ModerationError):
    """Refusals must say why: the contributor receives the reason."""


class AlreadyReported(ModerationError):
    """This reporter already has an open report on this item."""


class InvalidEdit(ModerationError):
    """A proposed edit touches no moderated field, or changes nothing."""
