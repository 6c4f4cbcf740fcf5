"""Errors of the chain package. They carry data; ``code`` is a stable string for logs and APIs."""

from __future__ import annotations

from enum import StrEnum


class ChainErrorCode(StrEnum):
    CHAIN_UNAVAILABLE = "chain_unavailable"
    ANCHOR_REJECTED = "anchor_rejected"
    BYTECODE_MISMATCH = "bytecode_mismatch"
    PROOF_FORMAT = "proof_format"


class ChainError(Exception):
    code: ChainErrorCode


class ChainUnavailable(ChainError):
    """The node could not be reached, timed out, or answered with an RPC error: try again later."""

    code = ChainErrorCode.CHAIN_UNAVAILABLE

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class AnchorRejected(ChainError):
    """The contract reverted: ``reason`` is the custom error name (``AlreadyAnchored``) or revert string."""

    code = ChainErrorCode.ANCHOR_REJECTED

    def __init__(self, reason: str, *, args: tuple[object, ...] = (), tx_hash: bytes | None = None) -> None:
        detail = f"{reason}({', '.join(map(str, args))})" if args else reason
        super().__init__(f"transaction rejected by the contract: {detail}")
        self.reason = reason
        self.error_args = args
        self.tx_hash = tx_hash


class BytecodeMismatch(ChainError):
    """The code at the address is not the AnchorRegistry of our artifact (wrong address, chain or version)."""

    code = ChainErrorCode.BYTECODE_MISMATCH

    def __init__(self, address: str, *, found_size: int, expected_size: int) -> None:
        super().__init__(
            f"code at {address} is not the AnchorRegistry artifact "
            f"({found_size} bytes found, {expected_size} expected)"
        )
        self.address = address
        self.found_size = found_size
        self.expected_size = expected_size


class ProofFormatError(ChainError, ValueError):
    """A proof file that is not valid JSON of the expected shape."""

    code = ChainErrorCode.PROOF_FORMAT
