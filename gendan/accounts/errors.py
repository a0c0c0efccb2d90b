"""Error codes of accounts: the login (pages and API token) and its lock."""

from gendan.core.errors import ErrorCode, Kind


class AccountsError(ErrorCode):
    INVALID_CREDENTIALS = "invalid_credentials", Kind.VALIDATION, (
        "wrong username or password, or an inactive user (API token request)")
    LOGIN_LOCKED = "login_locked", Kind.THROTTLED, (
        "too many failed logins for this username or address; wait, then try again")
