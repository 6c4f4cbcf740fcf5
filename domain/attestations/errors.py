"""Why a key or a signature was refused: each a ``ValidationError`` with a stable ``problem``."""

from enum import StrEnum

from domain.common.errors import ValidationError


class Problem(StrEnum):
    BAD_SIGNATURE = "BAD_SIGNATURE"  # a valid point that does not verify with the key for this message
    BAD_POINT = "BAD_POINT"  # not a point of the subgroup: malformed, off the curve, infinity
    BAD_PROOF_OF_POSSESSION = "BAD_PROOF_OF_POSSESSION"  # the key's proof does not match it (rogue key)
    REVOKED_KEY = "REVOKED_KEY"  # the party's key was revoked or rotated away


class SignatureRejected(ValidationError):
    """A key or signature refused for ``problem``; ``path`` names the input that carried it."""

    def __init__(self, problem: Problem, message: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(message, path)
        self.problem = problem
