"""The one password rule, applied wherever a password is set (API, CLI, ``ioc57 init``, demo).

A password must be 8–200 characters, must not be the user name or a part of it, and must not be
easy to guess: zxcvbn (a port of Dropbox's estimator, which knows the common-password, name and
keyboard-pattern lists and counts the user's own name as a known word) must estimate at least
``MIN_GUESSES`` guesses. With the login throttle an online attacker gets a few thousand guesses
per user and day, and the stored hashes are Argon2id, so this bar is about the common passwords
(``12345678``, ``password``, ``qwerty123``, a user name with digits), not about entropy.
"""

from __future__ import annotations

from ioc57.core.problems import field_error

MIN_LENGTH = 8
MAX_LENGTH = 200
MIN_GUESSES = 50_000
ESTIMATED_LENGTH = 72  # zxcvbn refuses longer input; a longer password is not a common one


def check_password_rule(password: str, username: str, *names: str) -> None:
    """Raise a 422 naming the field ``password`` when ``password`` breaks the rule."""
    if len(password) < MIN_LENGTH:
        raise field_error("password", f"at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise field_error("password", f"at most {MAX_LENGTH} characters")
    lowered = password.lower()
    if username and lowered in username.lower():
        raise field_error("password", "must not be the user name or a part of it")
    # imported here: its word lists cost every ioc57 process ~14 MB, and only setting a password
    # needs them
    from zxcvbn import zxcvbn

    known = [word for word in (username, *names) if word]
    estimate = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=known)
    if estimate["guesses"] < MIN_GUESSES:
        raise field_error("password", "too common or too easy to guess; choose a longer one")
