"""What went wrong with a `requests` call, as the retry policy needs to know it (arXiv and DBLP use it).

A connection that never got an answer (refused, a name that does not resolve, silent until the timeout)
is a `ConnectionFailure`, counted towards giving the host up; one the server broke off (a reset, a
truncated body) means it is there, and is retried like a 5xx.
"""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from curabib.errors import ConnectionFailure, RetryableError
from curabib.fetch.policy import CONNECT_TIMEOUT, connection_reason, exception_chain


def one_connection_session(user_agent: str) -> requests.Session:
    """A session holding one connection, retrying nothing itself (our clients pace and retry every
    request), that names the user in its User-Agent."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session


def transport_error(label: str, err: requests.RequestException, timeout: float) -> RetryableError:
    if isinstance(err, requests.exceptions.ConnectTimeout) or _caused_by(err, NewConnectionError):
        reason = connection_reason(err, connect_timeout(timeout))
        return ConnectionFailure(f"{label}: {reason}", reason)
    if isinstance(err, requests.exceptions.ReadTimeout):
        reason = f"no answer within {timeout:g} s"
        return ConnectionFailure(f"{label}: {reason}", reason)
    return RetryableError(
        f"{label}: {type(err).__name__}: {connection_reason(err, default='the answer broke off')}"
    )


def connect_timeout(timeout: float) -> float:
    return min(CONNECT_TIMEOUT, timeout)


def _caused_by(err: BaseException, kind: type[BaseException]) -> bool:
    return any(isinstance(current, kind) for current in exception_chain(err))
