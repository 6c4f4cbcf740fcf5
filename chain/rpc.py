"""web3 failures -> Lotline's chain errors, and the HTTP provider the clients use.

``translate`` turns web3, HTTP and socket failures into ``ChainUnavailable`` (carrying the node's URL);
``reverts`` turns a contract revert into ``AnchorRejected`` carrying the custom error's name and decoded
arguments (from ``Artifact.error_selectors``), or the node's revert message when the error is not ours.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import aiohttp
from eth_abi.abi import decode as abi_decode
from web3 import AsyncHTTPProvider, AsyncWeb3
from web3.exceptions import ContractLogicError, Web3Exception
from web3.providers.rpc.utils import ExceptionRetryConfiguration

from chain.errors import AnchorRejected, ChainUnavailable

ErrorSelectors = dict[bytes, tuple[str, list[str]]]


def web3_for(rpc_url: str, timeout: float, retries: int) -> AsyncWeb3[AsyncHTTPProvider]:
    """An async web3 on ``rpc_url``: ``timeout`` seconds per request, ``retries`` on HTTP/timeouts."""
    retry = None
    if retries > 0:  # web3 8.0 needs `errors` given: its None default fails its own validation
        retry = ExceptionRetryConfiguration(errors=(aiohttp.ClientError, TimeoutError), retries=retries)
    provider = AsyncHTTPProvider(
        rpc_url, request_kwargs={"timeout": timeout}, exception_retry_configuration=retry
    )
    return AsyncWeb3(provider)


@contextlib.contextmanager
def translate(url: str) -> Iterator[None]:
    """web3, HTTP and socket failures -> ChainUnavailable; contract reverts are left to ``reverts``."""
    try:
        yield
    except ContractLogicError:
        raise
    except (Web3Exception, aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise ChainUnavailable(f"chain node at {url} failed: {type(exc).__name__}: {exc}", url=url) from exc


@contextlib.contextmanager
def reverts(errors: ErrorSelectors) -> Iterator[None]:
    """A contract revert -> ``AnchorRejected`` (see ``rejection``)."""
    try:
        yield
    except ContractLogicError as exc:
        raise rejection(exc, errors) from exc


def rejection(exc: ContractLogicError, errors: ErrorSelectors) -> AnchorRejected:
    """Decode a revert: our custom error by its selector in ``errors``, else the node's message."""
    data = exc.data if isinstance(exc.data, str) else None
    if data and data.startswith("0x") and len(data) >= 10:
        raw = bytes.fromhex(data[2:])
        known = errors.get(raw[:4])
        if known is not None:
            name, types = known
            return AnchorRejected(name, args=tuple(abi_decode(types, raw[4:])))
    message = str(exc.message or exc)
    return AnchorRejected(message.removeprefix("execution reverted: "))
