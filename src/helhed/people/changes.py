"""The operations that change citizens' data (re-exported by ``services``).

Each operation first asks the policy door for "write" *outside* its transaction, so a
refusal stays in the access log; then it applies the rules and writes inside one
transaction, with its history (rows are closed, never overwritten) and exactly one event
per thing changed. A failed operation changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from helhed.core import clock
from helhed.core.errors import AccessDenied, InvalidInput, NotFound
from helhed.core.events import emit
from helhed.core.models import Sensitivity
from helhed.people import names, rules
from helhed.people.models import (
    Address,
    Citizen,
    ContactArrangement,
    ContactDetails,
    Custody,
    Dated,
    Guardianship,
    ParentChild,
    Residence,
)
from helhed.sharing import policy
from helhed.sharing.policy import Actor, Category, Purpose


class AddressUnknown(InvalidInput):
    code = "address.unknown"
    message = gettext_noop("Adressen findes ikke.")


class ReferenceUnknown(InvalidInput):
    code = "citizen.reference_unknown"
    message = gettext_noop(
        "Der findes ingen borger med dette id, eller du har ikke adgang til borgeren.")


class GuardianshipNotFound(NotFound):
    code = "guardianship.not_found"
    message = gettext_noop("Værgemålet findes ikke for denne borger.")


def _require_write(actor: Actor, citizen: Citizen | None, category: Category, what: str) -> str:
    decision = policy.decide(actor, Purpose.CASEWORK, citizen.uuid if citizen else None,
                             category, action="write", detail=what)
    if not decision.allowed:
        raise AccessDenied(message=decision.reason
                           or gettext_noop("Du har ikke adgang til at ændre borgerens data."))
    return _actor_label(actor)


def _actor_label(actor: Actor) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    return actor.get_username()


def _emit_citizen(type_: str, citizen: Citizen, actor: str, payload: dict[str, object],
                  *, object_type: str = "citizen", object_id: object = None) -> None:
    """An event about a citizen: the envelope names the citizen by UUID only, and the
    payload never carries names, CPR numbers or free text (rule 3)."""
    emit(type_, object_type=object_type, object_id=object_id or citizen.uuid,
         citizen=citizen.uuid, actor=actor, sensitivity=Sensitivity.CONFIDENTIAL,
         payload=payload)


def _lock(citizen: Citizen) -> None:
    """Serialise changes to one citizen's data (a no-op on SQLite, which locks the file)."""
    Citizen.objects.select_for_update().filter(pk=citizen.pk).first()


def _address(value: Address | uuid.UUID | str, field: str = "address_id") -> Address:
    if isinstance(value, Address):
        return value
    try:
        key = uuid.UUID(str(value))
    except ValueError as exc:
        raise AddressUnknown(field=field) from exc
    address = Address.objects.filter(uuid=key).first()
    if address is None:
        raise AddressUnknown(field=field)
    return address


def _referenced(
    actor: Actor, values: Sequence[Citizen | uuid.UUID | str], field: str, what: str,
) -> list[Citizen]:
    """Citizens named in a request (custody holders, a parent, a guardian). Looking them up
    is a master-data read, logged; an unknown one and one without a basis look the same."""
    given = [v for v in values if isinstance(v, Citizen)]
    try:
        keys = [uuid.UUID(str(v)) for v in values if not isinstance(v, Citizen)]
    except ValueError as exc:
        raise ReferenceUnknown(field=field) from exc
    found = {c.uuid: c for c in Citizen.objects.filter(uuid__in=keys)} if keys else {}
    if keys:
        decision = policy.decide_many(actor, Purpose.CASEWORK, list(found), Category.MASTER_DATA,
                                      detail=what)
        if len(found) != len(set(keys)) or not decision.allowed:
            raise ReferenceUnknown(field=field)
    by_value = iter(given)
    return [next(by_value) if isinstance(v, Citizen) else found[uuid.UUID(str(v))]
            for v in values]


def do_register_citizen(
    actor: Actor, *, cpr_number: str, first_name: str, last_name: str, middle_name: str = "",
    address: Address | uuid.UUID | str | None = None, moved_in: dt.date | None = None,
) -> Citizen:
    """Register a citizen from a CPR number and names, optionally with a first address."""
    label = _require_write(actor, None, Category.MASTER_DATA, "opret borger")
    number = rules.parse_cpr(cpr_number)
    if number.birth_date > clock.today():
        raise InvalidInput("cpr.future",
                           gettext_noop("Fødselsdatoen i CPR-nummeret ligger i fremtiden."),
                           field="cpr")
    first = rules.name(first_name, "first_name")
    middle = rules.name(middle_name, "middle_name", required=False)
    last = rules.name(last_name, "last_name")
    if moved_in is not None:
        if address is None:
            raise InvalidInput("residence.address_missing",
                               gettext_noop("Angiv adressen, når du angiver en indflytningsdato."),
                               field="address_id")
        rules.not_before_birth(rules.date(moved_in, "moved_in"), number.birth_date, "moved_in")
    with transaction.atomic():
        home = _address(address) if address is not None else None
        if Citizen.objects.filter(cpr=number.digits).exists():
            raise InvalidInput("citizen.exists",
                               gettext_noop("Der findes allerede en borger med det CPR-nummer."),
                               field="cpr")
        now = clock.now()
        try:
            with transaction.atomic():
                citizen = Citizen.objects.create(
                    cpr=number.digits, birth_date=number.birth_date,
                    sex=Citizen.Sex.FEMALE if number.is_female else Citizen.Sex.MALE,
                    first_name=first, middle_name=middle, last_name=last,
                    name_folded=names.fold(f"{first} {middle} {last}"),
                    created_at=now, updated_at=now,
                )
        except IntegrityError as exc:  # registered by someone else a moment ago
            raise InvalidInput("citizen.exists",
                               gettext_noop("Der findes allerede en borger med det CPR-nummer."),
                               field="cpr") from exc
        _emit_citizen("people.citizen.registered", citizen, label, {})
        if home is not None:
            _open_residence(citizen, home, moved_in or max(clock.today(), number.birth_date),
                            label)
    return citizen


def do_move(actor: Actor, citizen: Citizen, address: Address | uuid.UUID | str,
            moved_on: dt.date) -> Residence:
    """Register a move. The old residence is closed, never overwritten."""
    label = _require_write(actor, citizen, Category.MASTER_DATA, "flytning")
    rules.not_before_birth(rules.date(moved_on, "moved_on"), citizen.birth_date, "moved_on")
    with transaction.atomic():
        _lock(citizen)
        home = _address(address)
        current = Residence.objects.select_for_update().filter(
            citizen=citizen, valid_to__isnull=True).first()
        if current is not None:
            if current.address_id == home.pk:
                raise InvalidInput("residence.same_address",
                                   gettext_noop("Borgeren bor allerede på den adresse."),
                                   field="address_id")
            _end_period(current, moved_on, "residence.date",
                        gettext_noop("Flyttedatoen skal ligge efter indflytningen på nuværende "
                                     "adresse."),
                        field="moved_on")
        return _open_residence(citizen, home, moved_on, label)


def _end_period(row: Dated, on: dt.date, code: str, message: str, *, field: str) -> None:
    """Close an open period on ``on``, which must fall after the period began."""
    if on <= row.valid_from:
        raise InvalidInput(code, message, field=field)
    row.valid_to = on
    row.save(update_fields=["valid_to"])


def _open_residence(citizen: Citizen, address: Address, on: dt.date, label: str) -> Residence:
    residence = Residence.objects.create(citizen=citizen, address=address, valid_from=on,
                                         registered_at=clock.now())
    _emit_citizen("people.residence.changed", citizen, label,
                  {"address": str(address.uuid), "valid_from": on.isoformat()})
    return residence


def do_create_address(
    actor: Actor, *, street: str, house_number: str, postcode: str, city: str,
    municipality_code: str, floor: str = "", door: str = "", district: str = "",
) -> tuple[Address, bool]:
    """Create a dwelling address; an identical one is returned as it is (``created`` false)."""
    label = _require_write(actor, None, Category.MASTER_DATA, "opret adresse")
    fields = {
        "street": rules.text(street, "street", max_length=100, required=True),
        "house_number": rules.house_number(house_number),
        "floor": rules.text(floor, "floor", max_length=5).lower(),
        "door": rules.text(door, "door", max_length=10).lower(),
        "postcode": rules.postcode(postcode),
    }
    city = rules.text(city, "city", max_length=60, required=True)
    municipality_code = rules.municipality_code(municipality_code)
    district = rules.text(district, "district", max_length=80)
    with transaction.atomic():
        existing = Address.objects.filter(**fields).first()
        if existing is not None:
            return existing, False
        address = Address.objects.create(**fields, city=city,
                                         municipality_code=municipality_code, district=district)
        emit("people.address.created", object_type="address", object_id=address.uuid,
             actor=label, sensitivity=Sensitivity.NOT_CONFIDENTIAL,
             payload={"municipality_code": municipality_code, "postcode": fields["postcode"]})
    return address, True


def _may_hold_custody(child: Citizen, holder: Citizen, on: dt.date) -> bool:
    """A legal parent of the child, or the child's guardian on that day."""
    if ParentChild.objects.filter(parent=holder, child=child).exists():
        return True
    return Guardianship.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on), ward=child, guardian=holder,
        valid_from__lte=on,
    ).exists()


def _check_custody(child: Citizen, holders: list[Citizen], from_date: dt.date) -> None:
    if not 1 <= len(holders) <= 2:
        raise InvalidInput("custody.holders",
                           gettext_noop("Forældremyndighed har én eller to indehavere."),
                           field="holder_ids")
    if len({h.pk for h in holders}) != len(holders):
        raise InvalidInput("custody.duplicate",
                           gettext_noop("Den samme indehaver er nævnt to gange."),
                           field="holder_ids")
    if any(h.pk == child.pk for h in holders):
        raise InvalidInput("custody.self",
                           gettext_noop("Et barn kan ikke have forældremyndighed over sig selv."),
                           field="holder_ids")
    rules.not_before_birth(rules.date(from_date, "valid_from"), child.birth_date, "valid_from")
    if child.age_on(from_date) >= 18:
        raise InvalidInput("custody.adult",
                           gettext_noop("Forældremyndighed gælder kun børn under 18 år."),
                           field="valid_from")
    if not all(_may_hold_custody(child, h, from_date) for h in holders):
        raise InvalidInput(
            "custody.not_parent",
            gettext_noop("Forældremyndighed kan kun registreres for barnets forældre eller værge."),
            field="holder_ids")


def do_set_custody(
    actor: Actor, child: Citizen, holders: Sequence[Citizen | uuid.UUID | str],
    from_date: dt.date, basis: str = "",
) -> list[Custody]:
    """Replace who holds custody of ``child`` from ``from_date``; earlier rows are closed.

    Setting the holders and basis that already apply changes nothing and emits nothing."""
    label = _require_write(actor, child, Category.FAMILY, "forældremyndighed")
    basis = rules.text(basis, "basis", max_length=200)
    with transaction.atomic():
        _lock(child)
        people = _referenced(actor, holders, "holder_ids", "angivet som indehaver")
        _check_custody(child, people, from_date)
        current = list(Custody.objects.select_for_update().filter(child=child,
                                                                  valid_to__isnull=True))
        if {c.holder_id for c in current} == {h.pk for h in people} and \
                all(c.basis == basis for c in current):
            return current
        if any(from_date <= c.valid_from for c in current):
            raise InvalidInput(
                "custody.date",
                gettext_noop("Datoen skal ligge efter starten på den nuværende forældremyndighed."),
                field="valid_from")
        Custody.objects.filter(pk__in=[c.pk for c in current]).update(valid_to=from_date)
        now = clock.now()
        rows = [Custody.objects.create(child=child, holder=h, valid_from=from_date,
                                       basis=basis, registered_at=now) for h in people]
        _emit_citizen("people.custody.changed", child, label,
                      {"holders": [str(h.uuid) for h in people],
                       "valid_from": from_date.isoformat()})
    return rows


def _check_channel(channel: str, phone: str, email: str, exempt: bool) -> None:
    if channel in ("telefon", "sms") and not phone:
        raise InvalidInput("contact.channel_needs_phone",
                           gettext_noop("Skriv et telefonnummer, når kontaktformen er telefon "
                                        "eller SMS."),
                           field="phone")
    if channel == "email" and not email:
        raise InvalidInput("contact.channel_needs_email",
                           gettext_noop("Skriv en e-mailadresse, når kontaktformen er e-mail."),
                           field="email")
    if channel == "digital_post" and exempt:
        raise InvalidInput("contact.exempt_digital_post",
                           gettext_noop("En borger fritaget for Digital Post kan ikke foretrække "
                                        "Digital Post."),
                           field="preferred_channel")


def do_set_contact_details(
    actor: Actor, citizen: Citizen, *, phone: str, email: str, preferred_channel: str,
    exempt_from_digital_post: bool = False, note: str = "",
) -> ContactDetails:
    """New contact details from today; the previous version is kept as history.

    Details equal to the current ones change nothing and emit nothing."""
    label = _require_write(actor, citizen, Category.CONTACT, "kontaktdata")
    phone, email = rules.phone(phone), rules.email(email)
    channel, exempt = rules.channel(preferred_channel), bool(exempt_from_digital_post)
    _check_channel(channel, phone, email, exempt)
    values = {"phone": phone, "email": email, "preferred_channel": channel,
              "exempt_from_digital_post": exempt, "note": rules.text(note, "note", max_length=300)}
    with transaction.atomic():
        _lock(citizen)
        current = ContactDetails.objects.select_for_update().filter(
            citizen=citizen, valid_to__isnull=True).first()
        if current is not None and all(getattr(current, k) == v for k, v in values.items()):
            return current
        today = clock.today()
        if current is not None:
            current.valid_to = today
            current.save(update_fields=["valid_to"])
        details = ContactDetails.objects.create(citizen=citizen, valid_from=today,
                                                registered_at=clock.now(), **values)
        _emit_citizen("people.contact_details.changed", citizen, label,
                      {"preferred_channel": channel})
    return details


def do_set_contact_arrangement(
    actor: Actor, child: Citizen, parent: Citizen | uuid.UUID | str, *, schedule: str,
    valid_from: dt.date, decided_by: str = "",
) -> ContactArrangement:
    """The child's contact arrangement (samværsordning) with a parent from ``valid_from``;
    the arrangement it replaces is closed, never overwritten."""
    label = _require_write(actor, child, Category.FAMILY, "samværsordning")
    schedule = rules.text(schedule, "schedule", max_length=200, required=True)
    decided_by = rules.text(decided_by, "decided_by", max_length=120)
    rules.not_before_birth(rules.date(valid_from, "valid_from"), child.birth_date, "valid_from")
    if child.age_on(valid_from) >= 18:
        raise InvalidInput("contact_arrangement.adult",
                           gettext_noop("Samværsordninger gælder kun børn under 18 år."),
                           field="valid_from")
    with transaction.atomic():
        _lock(child)
        (other,) = _referenced(actor, [parent], "parent_id", "angivet som forælder")
        if other.pk == child.pk or not ParentChild.objects.filter(parent=other,
                                                                   child=child).exists():
            raise InvalidInput("contact_arrangement.not_parent",
                               gettext_noop("Samvær kan kun registreres med en af barnets "
                                            "forældre."),
                               field="parent_id")
        current = ContactArrangement.objects.select_for_update().filter(
            child=child, parent=other, valid_to__isnull=True).first()
        if current is not None:
            if current.schedule == schedule and current.decided_by == decided_by:
                return current
            _end_period(current, valid_from, "contact_arrangement.date",
                        gettext_noop("Datoen skal ligge efter starten på den nuværende "
                                     "samværsordning."),
                        field="valid_from")
        arrangement = ContactArrangement.objects.create(
            child=child, parent=other, schedule=schedule, decided_by=decided_by,
            valid_from=valid_from, registered_at=clock.now())
        _emit_citizen("people.contact_arrangement.changed", child, label,
                      {"parent": str(other.uuid), "valid_from": valid_from.isoformat()})
    return arrangement


def _guardian(actor: Actor, ward: Citizen, guardian: Citizen | uuid.UUID | str | None,
              guardian_name: str, on: dt.date) -> tuple[Citizen | None, str]:
    name = rules.text(guardian_name, "guardian_name", max_length=200)
    if (guardian is None) == (not name):
        raise InvalidInput(
            "guardianship.guardian",
            gettext_noop("Angiv værgen enten som borger (id) eller med navn, "
                         "ikke begge og ikke ingen."),
            field="guardian_id")
    if guardian is None:
        return None, name
    (person,) = _referenced(actor, [guardian], "guardian_id", "angivet som værge")
    if person.pk == ward.pk:
        raise InvalidInput("guardianship.self",
                           gettext_noop("En borger kan ikke være sin egen værge."),
                           field="guardian_id")
    if person.age_on(on) < 18:
        raise InvalidInput("guardianship.guardian_minor",
                           gettext_noop("En værge skal være myndig (18 år)."),
                           field="guardian_id")
    return person, ""


def do_appoint_guardian(
    actor: Actor, ward: Citizen, *, guardian: Citizen | uuid.UUID | str | None = None,
    guardian_name: str = "", scope: str, valid_from: dt.date,
) -> Guardianship:
    """Appoint a guardian (værge) for ``ward``: a citizen in helhed, or by name."""
    label = _require_write(actor, ward, Category.FAMILY, "værgemål")
    scope = rules.scope(scope)
    rules.not_before_birth(rules.date(valid_from, "valid_from"), ward.birth_date, "valid_from")
    with transaction.atomic():
        _lock(ward)
        person, name = _guardian(actor, ward, guardian, guardian_name, valid_from)
        same = Q(guardian=person) if person is not None else Q(guardian_name=name)
        if Guardianship.objects.filter(same, ward=ward, valid_to__isnull=True).exists():
            raise InvalidInput("guardianship.exists",
                               gettext_noop("Værgen er allerede udpeget for borgeren."),
                               field="guardian_id" if person else "guardian_name")
        row = Guardianship.objects.create(ward=ward, guardian=person, guardian_name=name,
                                          scope=scope, valid_from=valid_from,
                                          registered_at=clock.now())
        _emit_citizen("people.guardianship.appointed", ward, label, {
            "guardian": str(person.uuid) if person else None, "scope": scope,
            "valid_from": valid_from.isoformat()}, object_type="guardianship", object_id=row.pk)
    return row


def do_end_guardianship(actor: Actor, ward: Citizen, guardianship_id: int, *,
                        valid_to: dt.date) -> Guardianship:
    """End a guardianship on ``valid_to``; the row stays as history."""
    label = _require_write(actor, ward, Category.FAMILY, "værgemål ophører")
    rules.date(valid_to, "valid_to")
    with transaction.atomic():
        _lock(ward)
        row = Guardianship.objects.select_for_update().filter(pk=guardianship_id,
                                                              ward=ward).first()
        if row is None:
            raise GuardianshipNotFound
        if row.valid_to is not None:
            raise InvalidInput("guardianship.already_ended",
                               gettext_noop("Værgemålet er allerede ophørt."))
        _end_period(row, valid_to, "guardianship.date",
                    gettext_noop("Ophørsdatoen skal ligge efter værgemålets start."),
                    field="valid_to")
        _emit_citizen("people.guardianship.ended", ward, label,
                      {"valid_to": valid_to.isoformat()}, object_type="guardianship",
                      object_id=row.pk)
    return row
