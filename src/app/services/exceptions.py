"""Domain exceptions. Services raise them knowing nothing of HTTP; `main.py` maps each one to a
status code and a safe message once, for the whole app."""


class DomainError(Exception):
    """Base class of every exception a service raises on purpose."""


class UserNotFound(DomainError):
    def __init__(self, user_id: int) -> None:
        super().__init__(f"no user with id {user_id}")
        self.user_id = user_id


class EmailAlreadyRegistered(DomainError):
    def __init__(self, email: str) -> None:
        super().__init__(f"a user with email {email!r} already exists")
        self.email = email


class InvalidCredentials(DomainError):
    """Unknown email, wrong password or inactive account: deliberately indistinguishable."""


class IncorrectPassword(DomainError):
    """The current password sent to authorise a password or e-mail change is wrong."""


class HashingBusy(DomainError):
    """Every password-hashing thread is busy and the queue for them is full: try again soon."""
