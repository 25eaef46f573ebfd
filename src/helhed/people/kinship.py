"""The family as helhed's sharing rules mean it: parents, children and siblings (a shared
parent, across households; half-siblings too), by database id, from ``people.ParentChild``.

Not a door: it reads relations, never what is known about the people. The policy door
(consent and legal-basis conditions), emergency access (the family fixed at its start) and
subscriptions (advis about the family) use this one definition, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from helhed.core import sql
from helhed.people.models import ParentChild


def family_ids(citizen_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each citizen's family by database id: parents, children and siblings (a shared
    parent, across households; half-siblings too), from ``people.ParentChild``. One
    query, whatever the number of citizens: the links of the citizens themselves, and the
    links of their parents (which name the siblings)."""
    wanted = set(citizen_ids)
    family: dict[int, set[int]] = {c: set() for c in wanted}
    if not wanted:
        return family
    table = ParentChild._meta.db_table
    marks = sql.marks(list(wanted))
    ids = list(wanted)
    # Only the table name and placeholders are formatted in; the ids are parameters.
    statement = (f"SELECT parent_id, child_id FROM {table} "  # noqa: S608
           f"WHERE child_id IN ({marks}) OR parent_id IN ({marks}) "
           f"UNION SELECT parent_id, child_id FROM {table} WHERE parent_id IN "
           f"(SELECT parent_id FROM {table} WHERE child_id IN ({marks}))")
    links = sql.select(statement, ids * 3)
    parents: dict[int, set[int]] = {}
    children_of: dict[int, set[int]] = {}
    for parent, child in links:
        children_of.setdefault(parent, set()).add(child)
        if child in wanted:
            family[child].add(parent)
            parents.setdefault(child, set()).add(parent)
        if parent in wanted:
            family[parent].add(child)
    for child, its_parents in parents.items():
        for parent in its_parents:
            family[child] |= children_of.get(parent, set())
    for citizen in wanted:
        family[citizen].discard(citizen)
    return family
