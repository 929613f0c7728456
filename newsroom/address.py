"""The newsroom's own address: one rule for the links in workflow mails, the address
`make run` prints and the host names development answers on.

Pure functions of the environment's values (no Django import), so settings.py can use them
before Django is configured and tests can call them directly.
"""

import socket
from urllib.parse import urlsplit

DEFAULT_RUN_HOST = "127.0.0.1:8000"
# Addresses runserver listens on that no browser can be sent to.
WILDCARDS = {"0.0.0.0", "::", "[::]", "0"}


def machine_address():
    """This machine's address on its network (what another device would use), or 127.0.0.1.

    Connecting a UDP socket sends nothing; it only picks the outgoing interface.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def browsable(run_host):
    """`make run HOST=…` as a browser address: a bare port gets 127.0.0.1, and an address
    listening everywhere (0.0.0.0, [::]) becomes this machine's network address."""
    run_host = (run_host or DEFAULT_RUN_HOST).strip()
    if run_host.isdigit():
        return f"127.0.0.1:{run_host}"
    host, _, port = run_host.rpartition(":")
    if not host:  # a name without a port
        host, port = run_host, "8000"
    if host in WILDCARDS:
        host = machine_address()
    return f"{host}:{port}"


def base_url(*, explicit, run_host, debug, allowed_hosts):
    """NEWSROOM_BASE_URL if set; in development the address `make run` serves on
    (NEWSROOM_HOST, from HOST); in production https:// and the first allowed host."""
    if explicit and explicit.strip():
        return explicit.strip().rstrip("/")
    if debug:
        return f"http://{browsable(run_host)}"
    return f"https://{allowed_hosts[0].lstrip('.')}"


def host_name(url):
    """The host name of `url` as ALLOWED_HOSTS spells it ([::1] keeps its brackets)."""
    parts = urlsplit(url)
    return f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname or ""
