"""The family as helhed's sharing rules mean it: parents, children and siblings (a shared
parent, across households; half-siblings too), by database id, from ``people.ParentChild``.

Not a door: it reads relations, never what is known about the people. The policy door
(consent and legal-basis conditions), emergency access (the family fixed at its start) and
subscriptions (advis about the family) use this one definition, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from helhed.people.models import ParentChild


def family_ids(citizen_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each citizen's family by database id: parents, children and siblings (a shared
    parent, across households; half-siblings too), from ``people.ParentChild``. Two
    queries, whatever the number of citizens."""
    wanted = set(citizen_ids)
    family: dict[int, set[int]] = {c: set() for c in wanted}
    if not wanted:
        return family
    parents: dict[int, set[int]] = {}
    for parent, child in ParentChild.objects.filter(
            Q(child_id__in=wanted) | Q(parent_id__in=wanted)).values_list(
            "parent_id", "child_id"):
        if child in wanted:
            family[child].add(parent)
            parents.setdefault(child, set()).add(parent)
        if parent in wanted:
            family[parent].add(child)
    all_parents = set().union(*parents.values()) if parents else set()
    if all_parents:
        children_of: dict[int, set[int]] = {}
        for parent, child in ParentChild.objects.filter(parent_id__in=all_parents).values_list(
                "parent_id", "child_id"):
            children_of.setdefault(parent, set()).add(child)
        for child, its_parents in parents.items():
            for parent in its_parents:
                family[child] |= children_of.get(parent, set())
    for citizen in wanted:
        family[citizen].discard(citizen)
    return family
