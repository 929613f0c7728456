"""The reporter roster as the newsroom grows it: names nobody has confirmed yet.

A name that is not on the roster — an imported page's byline, a new
correspondent (通讯员) typed into a story's byline — becomes an entry that is
*inactive until an administrator confirms it* (`needs_review`), so nobody
appears on the public site as a reporter without an administrator's say.
The page importer and the story form's byline both come here.
"""

import re

from pypinyin import lazy_pinyin

from ..models import Byline, Reporter


def unique_slug(name):
    """A pinyin slug (张晶 → zhang-jing), numbered when taken (zhang-jing-2).

    Surnames with two readings (单, 曾) may come out wrong; the administrator
    who confirms the entry can correct it.
    """
    words = [re.sub(r"[^a-z0-9]", "", word.lower()) for word in lazy_pinyin(name)]
    base = "-".join(word for word in words if word)[:70] or "imported"
    taken = set(Reporter.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken or slug == "imported":
        slug = f"{base}-{n}"
        n += 1
    return slug


def pending_reporter(name, role, *, bio):
    """A new inactive roster entry for `name`, flagged for an administrator to confirm."""
    reporter = Reporter(
        name=name, slug=unique_slug(name), role=role, is_active=False, needs_review=True, bio=bio,
    )
    reporter.full_clean()
    reporter.save()
    return reporter


def known_correspondent(name):
    """The 通讯员 of that name already on the roster (confirmed ones first), or None."""
    known = Reporter.objects.filter(name=" ".join(name.split()), role=Reporter.Role.CORRESPONDENT)
    return known.order_by("needs_review", "-is_active", "pk").first()


def reporter_for_byline(name, *, user):
    """The roster entry a byline typed as a plain name means: the known 通讯员 of that
    name, or a new one for an administrator to confirm."""
    name = " ".join(name.split())
    existing = known_correspondent(name)
    if existing is not None:
        return existing
    who = user.get_full_name() or user.get_username()
    return pending_reporter(name, Reporter.Role.CORRESPONDENT,
                            bio=f"{who}在稿件署名中新增的通讯员，请核实身份后启用。")


def profile_of(user):
    """The roster entry linked to `user`'s account, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Reporter.objects.filter(user=user).first()


def byline_role(reporter):
    """The role a reporter signs a story in by default: their roster role (摄影记者 → 摄影)."""
    return {
        Reporter.Role.PHOTOGRAPHER: Byline.Role.PHOTOGRAPHER,
        Reporter.Role.CORRESPONDENT: Byline.Role.CORRESPONDENT,
        Reporter.Role.EDITOR: Byline.Role.EDITOR,
    }.get(reporter.role, Byline.Role.REPORTER)
