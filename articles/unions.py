"""The union-body directory read once and walked in Python.

A directory holds hundreds of bodies, not millions: one query for all of them
gives breadcrumbs, children and subtrees without a query per level, so a union
body's page costs the same however deep it sits in the tree.
"""

from .models import UnionBody


class UnionDirectory:
    """All union bodies from one query, with the tree between them."""

    def __init__(self, queryset=None):
        bodies = list(queryset if queryset is not None else UnionBody.objects.all())
        self.by_pk = {body.pk: body for body in bodies}
        self.by_slug = {body.slug: body for body in bodies}
        self._children = {}
        for body in bodies:  # already in sort_order, name order
            self._children.setdefault(body.parent_id, []).append(body)
        # Wire the parents we already hold, so body.parent costs no query.
        for body in bodies:
            if body.parent_id in self.by_pk:
                body.parent = self.by_pk[body.parent_id]

    def get(self, slug):
        return self.by_slug.get(slug)

    def children(self, body, active_only=True):
        kids = self._children.get(getattr(body, "pk", body), [])
        return [kid for kid in kids if kid.is_active or not active_only]

    def roots(self):
        return self.children(None)

    def ancestors(self, body):
        """From the root down to `body`'s parent (stops on a cycle in bad data)."""
        chain, seen = [], {body.pk}
        parent = self.by_pk.get(body.parent_id)
        while parent is not None and parent.pk not in seen:
            chain.insert(0, parent)
            seen.add(parent.pk)
            parent = self.by_pk.get(parent.parent_id)
        return chain

    def subtree_ids(self, body):
        """`body` and all its descendants, active or not (their stories still count)."""
        found, stack, seen = [], [body.pk], set()
        while stack:
            pk = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            found.append(pk)
            stack.extend(kid.pk for kid in self._children.get(pk, ()))
        return found

    def tree(self, body=None, depth=0):
        """[(body, depth)] in display order, active bodies only, for the directory page."""
        rows = []
        for kid in self.children(body):
            rows.append((kid, depth))
            rows.extend(self.tree(kid, depth + 1))
        return rows
