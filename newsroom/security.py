"""django-csp's middleware, building the site's fixed policy once instead of per response.

django-csp builds the Content-Security-Policy header from the settings on every
response (copying the policy, walking its directives, joining the sources): a
quarter of the time /healthz takes. Unless a response asks for something of its
own — a nonce (the request's `csp_nonce` was used), or a view's `@csp_update`,
`@csp_replace`, `@csp` or `@csp_exempt` — the header is the same every time, so it
is built once per process (settings changes, as in tests, build it again). Every
other response goes through django-csp itself, unchanged.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as _CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view's decorators set on its response for a policy of its own.
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
               "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")

_fixed = None  # (header, report-only header, excluded path prefixes), built on first use


def _fixed_policy():
    global _fixed
    if _fixed is None:
        prefixes = tuple((getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get(
            "EXCLUDE_URL_PREFIXES") or ())
        prefixes_ro = tuple((getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}).get(
            "EXCLUDE_URL_PREFIXES") or ())
        _fixed = (build_policy(), prefixes, build_policy(report_only=True), prefixes_ro)
    return _fixed


@receiver(setting_changed)
def _forget_fixed_policy(setting, **kwargs):
    global _fixed
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _fixed = None


class CSPMiddleware(_CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
                hasattr(response, name) for name in _OWN_POLICY) or settings.DEBUG:
            return super().process_response(request, response)
        header, prefixes, header_ro, prefixes_ro = _fixed_policy()
        path = request.path_info
        if header and HEADER not in response and not path.startswith(prefixes):
            response[HEADER] = header
        if header_ro and HEADER_REPORT_ONLY not in response and not path.startswith(prefixes_ro):
            response[HEADER_REPORT_ONLY] = header_ro
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
