"""{% desk_summary %}: the admin index's box that leads to the newsroom desk."""

from django import template

from ..selectors import desk
from ..services import permissions

register = template.Library()


@register.inclusion_tag("admin/articles/_desk_summary.html", takes_context=True)
def desk_summary(context):
    user = context["request"].user
    summary = {"show": permissions.is_newsroom_member(user), "is_editor": permissions.is_editor(user)}
    if summary["show"]:
        summary["returned"] = desk.returned_to(user).count()
        if summary["is_editor"]:
            summary["counts"] = desk.counts(user)
            summary["for_me"] = len(desk.waiting_for(user, list(desk.review_queue(user))))
    return summary
