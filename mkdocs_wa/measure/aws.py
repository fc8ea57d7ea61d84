"""boto3 clients for the AWS sources, and AWS errors in words.

boto3 is an optional dependency (``pip install 'mkdocs-wa[aws]'``), imported only when a
metric is measured from AWS. Credentials come from the standard chain (environment,
shared files, SSO, instance or task role) and are never read or written here;
``AWS_ENDPOINT_URL`` (and the per-service ``AWS_ENDPOINT_URL_<SERVICE>``) is honoured by
boto3 itself, and also passed explicitly so that older boto3 releases honour it too.
"""

from __future__ import annotations

import os
from typing import Any

from mkdocs_wa.measure.common import SourceError, redact


def client(service: str, env_name: str, region: str | None, timeout: float) -> Any:
    try:
        import boto3
        import boto3.session
        from botocore.config import Config
    except ImportError:
        raise SourceError("boto3 is not installed: pip install 'mkdocs-wa[aws]'") from None
    endpoint = os.environ.get(f"AWS_ENDPOINT_URL_{env_name}") or os.environ.get("AWS_ENDPOINT_URL") or None
    config = Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 2, "mode": "standard"})
    try:
        # a session of its own: the default one keeps the credentials it found first
        session = boto3.session.Session()
        return session.client(service, region_name=region or None, endpoint_url=endpoint, config=config)
    except Exception as exc:  # botocore's NoRegionError, a malformed endpoint...
        raise SourceError(f"cannot make an AWS {service} client: {exc}") from None


def explain(exc: Exception, what: str) -> SourceError:
    """A botocore error as a message for the user."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.NoCredentialsError):
        return SourceError(f"{what}: no AWS credentials found (environment, ~/.aws, SSO or an instance role)")
    if isinstance(exc, bx.ClientError):
        err = exc.response.get("Error", {})
        return SourceError(f"{what} refused the request: {err.get('Code', '?')}: {err.get('Message', '')}".rstrip(": "))
    if isinstance(exc, (bx.ConnectTimeoutError, bx.ReadTimeoutError)):
        return SourceError(f"{what} gave no answer in time")
    if isinstance(exc, bx.EndpointConnectionError):
        return SourceError(f"cannot reach {what} at {redact(str(exc.kwargs.get('endpoint_url', '')))}")
    if isinstance(exc, bx.BotoCoreError):
        return SourceError(f"{what}: {exc}")
    raise exc
