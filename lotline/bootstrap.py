"""A deployment's first start: the ``admin`` user and its token, as the SQLite demo has (``serve
--admin-token-file``, used by docker-compose.yml).

The admin gets a random password nobody knows (log in with the token; ``lotline create-token admin`` issues
more); the token is written to a file only its owner can read (0600) and reused while it stays valid, so a
restart prints the same one. Running it on a database that has an admin changes nothing.
"""

import secrets

from domain.common.errors import Conflict
from domain.partners import services

ADMIN = "admin"


async def ensure_admin(username: str = ADMIN) -> bool:
    """Creates the admin user when missing; True when it was created now."""
    if await services.user_exists(username):
        return False
    try:
        await services.create_user(username, secrets.token_urlsafe(24), "admin")
    except Conflict:  # another replica created it first
        return False
    return True
