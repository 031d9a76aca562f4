"""Refusals of the consultation services; each message is French and shown to the person."""


class ConsultationError(Exception):
    """Base: ``str(error)`` is the sentence to show."""


class NotAllowed(ConsultationError):
    pass


class PhaseClosed(ConsultationError):
    pass


class Locked(ConsultationError):
    pass


class AlreadySupported(ConsultationError):
    pass


class SupportLimitReached(ConsultationError):
    pass
