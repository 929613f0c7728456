"""A newsroom with districts for scope, comment, share-link and notification tests."""

from dataclasses import dataclass

from articles.models import EditorScope

from .factories import make_union, make_user
from .newsroom import make_cast


@dataclass
class Districts:
    cast: object
    street: object  # 奥运村街道, under 朝阳 (cast.body)
    other: object  # 石景山区, another district
    district_editor: object  # limited to 朝阳 and its streets
    other_editor: object  # limited to 石景山


def make_districts():
    cast = make_cast()
    for user, email in ((cast.alice, "alice@example.org"), (cast.bob, "bob@example.org"),
                        (cast.editor, "editor@example.org"), (cast.admin, "boss@example.org")):
        user.email = email
        user.save(update_fields=["email"])
    street = make_union("奥运村街道总工会", parent=cast.body, slug="aoyuncun")
    other = make_union("石景山区总工会", slug="shijingshan")
    district_editor = make_user("chaoyang_ed", group="编辑", first_name="朝阳编辑",
                                email="chaoyang@example.org")
    other_editor = make_user("sjs_ed", group="编辑", first_name="石景山编辑", email="sjs@example.org")
    EditorScope.objects.create(user=district_editor, union_body=cast.body)
    EditorScope.objects.create(user=other_editor, union_body=other)
    return Districts(cast, street, other, district_editor, other_editor)


def fresh(user):
    """The same account without the per-object permission caches (a new request)."""
    return type(user).objects.get(pk=user.pk)

