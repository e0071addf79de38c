"""Errors an operation raises; each carries a machine code, an HTTP status and Indonesian text."""


class OperationError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(OperationError):
    status = 404
    code = "not_found"


class Conflict(OperationError):
    status = 409
    code = "conflict"


class Invalid(OperationError):
    status = 422
    code = "invalid"
