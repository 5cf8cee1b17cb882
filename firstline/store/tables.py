"""SQLAlchemy Core tables on one MetaData, the Alembic target.

Received messages are kept whole (`raw`), whatever happened to them, so a message can be
re-parsed after a fix and an administrator can see exactly what arrived.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("size", Integer, nullable=False),
    Column("format", String(16), nullable=False),  # edifact, xml, unknown
    Column("message_type", String(16)),  # PAXLST, PNRGOV, CUSRES ...
    # loaded / duplicate / quarantined
    Column("status", String(16), nullable=False, index=True),
    Column("reason", Text),
    Column("reason_detail", JSON),
    Column("warnings", JSON),
    Column("duplicate_of", Integer, ForeignKey("messages.id")),
    Column("raw", LargeBinary),
    Column("series_key", Text),
    Column("part_number", Integer),
    Column("is_last_part", Boolean),
    Column("flight_id", Integer, ForeignKey("flights.id")),
    Column("traveller_count", Integer),
    # Items the sensitive-data filter removed before storage (EU PNR Directive art. 13(4)).
    Column("sensitive_removed", Integer),
)

flights = Table(
    "flights",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("carrier", Text),
    Column("number", Text),
    Column("origin", Text),
    Column("destination", Text),
    Column("departure_date", Date),
    Column("scheduled_departure", DateTime),
    Column("scheduled_arrival", DateTime),
    Column("declared_passengers", Integer),
    Column("declared_crew", Integer),
    # Who is loaded for the flight, refreshed by every message about it (migration 0006): the
    # flights board reads hundreds of flights at once and must not count a million rows.
    Column("loaded_passengers", Integer, nullable=False, server_default="0"),
    Column("loaded_crew", Integer, nullable=False, server_default="0"),
    Column("with_api", Integer, nullable=False, server_default="0"),
    Column("with_pnr", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The natural key, flattened so NULL parts still compare equal in the unique index.
    Column("flight_key", Text, nullable=False, unique=True),
)

flight_legs = Table(
    "flight_legs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "flight_id",
        Integer,
        ForeignKey("flights.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("sequence", Integer, nullable=False),
    Column("carrier", Text),
    Column("flight_designator", Text),
    Column("departure_airport", Text),
    Column("arrival_airport", Text),
    Column("scheduled_departure", DateTime),
    Column("scheduled_arrival", DateTime),
    UniqueConstraint("flight_id", "sequence", name="uq_flight_legs_flight_sequence"),
)

travellers = Table(
    "travellers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "flight_id",
        Integer,
        ForeignKey("flights.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("identity_key", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("surname", Text),
    Column("given_names", Text),
    Column("gender", Text),
    Column("date_of_birth", Date),
    Column("nationality", Text),
    Column("country_of_residence", Text),
    Column("place_of_birth", Text),
    Column("port_of_embarkation", Text),
    Column("port_of_debarkation", Text),
    Column("place_of_clearance", Text),
    Column("booking_reference", Text),
    Column("passenger_reference", Text),
    Column("seat", Text),
    Column("ticket_number", Text),
    Column("checked_bags", Integer),
    Column("bag_weight_kg", Float),
    Column("document_verified", Boolean),
    Column("crew_function", Text),
    # Set by a close-out message (BGM+266) that lists the person as on board.
    Column("boarded_message_id", Integer, ForeignKey("messages.id")),
    # One traveller per flight whatever the source: the key each source finds it by, the
    # booking it is on, and for every field the message that last set it.
    Column("api_key", Text),
    Column("pnr_key", Text),
    Column("booking_id", Integer, ForeignKey("bookings.id")),
    Column("sources", JSON),
    Column("provenance", JSON),
    Column("details", JSON),  # address, contacts, bag tags, other references
    Column("first_message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("last_message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("flight_id", "identity_key", name="uq_travellers_flight_identity"),
)
Index("ix_travellers_surname", travellers.c.surname)
# Partial: a traveller known from one source only (most of them, before check-in) does not
# pay for the other source's index on insert.
Index(
    "ix_travellers_api_key",
    travellers.c.flight_id,
    travellers.c.api_key,
    sqlite_where=travellers.c.api_key.is_not(None),
    postgresql_where=travellers.c.api_key.is_not(None),
)
Index(
    "ix_travellers_pnr_key",
    travellers.c.flight_id,
    travellers.c.pnr_key,
    sqlite_where=travellers.c.pnr_key.is_not(None),
    postgresql_where=travellers.c.pnr_key.is_not(None),
)
Index(
    "ix_travellers_booking",
    travellers.c.booking_id,
    sqlite_where=travellers.c.booking_id.is_not(None),
    postgresql_where=travellers.c.booking_id.is_not(None),
)

travel_documents = Table(
    "travel_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "traveller_id",
        Integer,
        ForeignKey("travellers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("sequence", Integer, nullable=False),
    Column("type", Text),
    Column("number", Text),
    Column("issuing_country", Text),
    Column("issuing_place", Text),
    Column("expiry_date", Date),
    Column("issue_date", Date),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False),
)
Index("ix_travel_documents_number", travel_documents.c.number)
Index("ix_travel_documents_traveller", travel_documents.c.traveller_id)

traveller_changes = Table(
    "traveller_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "traveller_id",
        Integer,
        ForeignKey("travellers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("field", Text, nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)


bookings = Table(
    "bookings",
    metadata,
    Column("id", Integer, primary_key=True),
    # System, locator and creation date: locators are reused after a while.
    Column("booking_key", Text, nullable=False, unique=True),
    Column("system", Text),
    Column("record_locator", Text, index=True),
    Column("created_at", DateTime),
    Column("last_modified", DateTime),
    Column("ticketed_at", DateTime),
    Column("number_in_party", Integer),
    Column("agency", JSON),
    # Everything else the carrier sent, as documented JSON (itinerary summary, tickets,
    # special requests, check-in, remarks, history, split information, locators).
    Column("details", JSON),
    Column("sensitive_removed", Integer, nullable=False, default=0),
    Column("first_message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("last_message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
)

booking_flights = Table(
    "booking_flights",
    metadata,
    Column("booking_id", Integer, ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    Column("flight_id", Integer, ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True),
    Column("last_message_id", Integer, ForeignKey("messages.id"), nullable=False),
)

booking_legs = Table(
    "booking_legs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("booking_id", Integer, ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("marketing_carrier", Text),
    Column("marketing_number", Text),
    Column("operating_carrier", Text),
    Column("operating_number", Text),
    Column("departure_airport", Text),
    Column("arrival_airport", Text),
    Column("departure", DateTime),
    Column("arrival", DateTime),
    Column("booking_class", Text),
    Column("status", Text),
    Column("party_size", Integer),
    Column("equipment", Text),
    Column("is_pushed_flight", Boolean, nullable=False, default=False),
)
Index("ix_booking_legs_booking", booking_legs.c.booking_id)

# Pivot values that link analysis and rules join on: normalised contacts and card prints.
booking_contacts = Table(
    "booking_contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("booking_id", Integer, ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
    Column("traveller_ref", Text),
    Column("kind", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("raw", Text),
    Column("source", Text),
    Column("normalised", Boolean, nullable=False, default=True),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False),
)
Index("ix_booking_contacts_value", booking_contacts.c.kind, booking_contacts.c.value)
Index("ix_booking_contacts_booking", booking_contacts.c.booking_id)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("booking_id", Integer, ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
    Column("traveller_ref", Text),
    Column("type", Text),
    Column("card_vendor", Text),
    Column("card_last_four", Text),
    Column("card_fingerprint", Text, index=True),
    Column("card_expiry", Text),
    Column("card_holder", Text),
    Column("amount", Float),
    Column("currency", Text),
    Column("billing_address", JSON),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False),
)
Index("ix_payments_booking", payments.c.booking_id)

booking_changes = Table(
    "booking_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("booking_id", Integer, ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("field", Text, nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)
Index("ix_booking_changes_booking", booking_changes.c.booking_id)


# -- watchlists and hits (migration 0003) ---------------------------------------------------

watchlists = Table(
    "watchlists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("category", Text, nullable=False),  # terrorism, sanctions, lost_stolen, ...
    Column("severity", Text, nullable=False),  # high, medium, low
    Column("description", Text),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

watchlist_versions = Table(
    "watchlist_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "watchlist_id", Integer, ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False
    ),
    Column("number", Integer, nullable=False),
    Column("origin", Text, nullable=False),  # the format, or "manual"
    Column("files", JSON),  # [{name, sha256, bytes}]
    Column("published", Date),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("entries", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("notes", JSON),
    UniqueConstraint("watchlist_id", "number", name="uq_watchlist_versions_number"),
)

watchlist_rejections = Table(
    "watchlist_rejections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "version_id",
        Integer,
        ForeignKey("watchlist_versions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("location", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("record", Text),
)
Index("ix_watchlist_rejections_version", watchlist_rejections.c.version_id)

watchlist_entries = Table(
    "watchlist_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "watchlist_id", Integer, ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False
    ),
    # Imports of one list from different formats (UN XML and OFAC CSV into "sanctions") each
    # replace only the entries of their own origin.
    Column("origin", Text, nullable=False),
    Column("source_id", Text, nullable=False),
    Column("schema", Text, nullable=False),
    Column("name", Text),  # the primary name, for lists and hit titles
    Column("data", JSON, nullable=False),  # the whole ListEntry
    Column("content_hash", Text, nullable=False),
    Column("added_version_id", Integer, ForeignKey("watchlist_versions.id"), nullable=False),
    Column("changed_version_id", Integer, ForeignKey("watchlist_versions.id"), nullable=False),
    Column("removed_version_id", Integer, ForeignKey("watchlist_versions.id")),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("watchlist_id", "origin", "source_id", name="uq_watchlist_entries_source"),
)

watchlist_changes = Table(
    "watchlist_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "version_id",
        Integer,
        ForeignKey("watchlist_versions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "entry_id", Integer, ForeignKey("watchlist_entries.id", ondelete="CASCADE"), nullable=False
    ),
    Column("change", Text, nullable=False),  # added, changed, removed
    Column("data", JSON),  # the entry after the change (before it, for a removal)
)
Index("ix_watchlist_changes_version", watchlist_changes.c.version_id)

# Hits from every detector (watchlists now, risk rules later) share one table, so an officer
# works one queue and a traveller's risk adds up across sources.
hits = Table(
    "hits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "traveller_id", Integer, ForeignKey("travellers.id", ondelete="CASCADE"), nullable=False
    ),
    Column("flight_id", Integer, ForeignKey("flights.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text, nullable=False),  # "watchlist", "rule"
    # What hit, stable across re-screening: "watchlist:<list id>:<entry id>".
    Column("source_key", Text, nullable=False),
    Column("watchlist_id", Integer, ForeignKey("watchlists.id", ondelete="SET NULL")),
    Column("entry_id", Integer, ForeignKey("watchlist_entries.id", ondelete="SET NULL")),
    Column("title", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("status", Text, nullable=False),  # open, confirmed, false_positive, closed
    # False once a re-screen no longer finds it (the row stays for the audit trail).
    Column("current", Boolean, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The review (migration 0006): new, assigned, in_review, second_review, closed. `status`
    # above carries the disposition once closed (confirmed, false_positive, inconclusive), so
    # rule precision and total risk read one column.
    Column("review_state", Text, nullable=False, server_default="new"),
    Column("assignee_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("first_reviewer_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("proposed_disposition", Text),  # awaiting a second review
    UniqueConstraint("traveller_id", "source_key", name="uq_hits_traveller_source"),
)
Index("ix_hits_flight", hits.c.flight_id)
Index("ix_hits_status", hits.c.status)
Index("ix_hits_review_state", hits.c.review_state)
Index("ix_hits_traveller", hits.c.traveller_id)

# When each traveller was last screened, and against which state of the lists.
screenings = Table(
    "screenings",
    metadata,
    Column(
        "traveller_id",
        Integer,
        ForeignKey("travellers.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("screened_at", DateTime(timezone=True), nullable=False),
    Column("lists_state", Text, nullable=False),
    # Hash of what screening reads of the traveller (names, birth date, nationality, gender,
    # documents): a later message that only adds a seat or bags does not re-screen.
    Column("query_hash", Text),
)


# -- risk rules (migration 0004) ------------------------------------------------------------

rules = Table(
    "rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),
    Column("current_version", Integer, nullable=False),
    # Copied from the current version so lists and statistics need no JSON.
    Column("title", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("score", Integer, nullable=False),
    Column("owner", Text),
    Column("start", Date),
    Column("expiry", Date),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Editing a rule makes a new version; old versions stay, and hits say which version fired.
rule_versions = Table(
    "rule_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rule_id", Integer, ForeignKey("rules.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("definition", JSON, nullable=False),  # the rule as written (YAML mapping)
    Column("status", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("rule_id", "version", name="uq_rule_versions_version"),
)

lookup_lists = Table(
    "lookup_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("description", Text),
    Column("values", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

lookup_list_versions = Table(
    "lookup_list_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", Integer, ForeignKey("lookup_lists.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("values", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# -- person identity across flights (migration 0005) ------------------------------------------

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Which per-flight traveller is which person, and why firstline thinks so.
person_links = Table(
    "person_links",
    metadata,
    Column(
        "traveller_id",
        Integer,
        ForeignKey("travellers.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("decided", Boolean, nullable=False),  # set by an analyst, never undone automatically
    Column("created_at", DateTime(timezone=True), nullable=False),
)
Index("ix_person_links_person", person_links.c.person_id)

# The keys a person is recognised by on later flights: "DOC:<country>:<number>" and
# "FF:<airline><number>", so that linking a new traveller is one indexed look-up.
person_keys = Table(
    "person_keys",
    metadata,
    Column("key", Text, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
)

# Analysts' merges and splits, append-only: the audit trail of who decided what.
identity_decisions = Table(
    "identity_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", Text, nullable=False),  # merge, split
    Column("traveller_ids", JSON, nullable=False),
    Column("person_id", Integer),
    Column("note", Text),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)


# -- the analyst's workplace: access control, case workflow, lookout, audit (migration 0006) --

# The flights board reads a window of schedules.
Index("ix_flights_scheduled_arrival", flights.c.scheduled_arrival)
Index("ix_flights_scheduled_departure", flights.c.scheduled_departure)

# Roles are data: an administrator can change what a role may do without a release. The
# default roles and their permissions are seeded by the migration (see cases/access.py).
roles = Table(
    "roles",
    metadata,
    Column("name", Text, primary_key=True),
    Column("description", Text, nullable=False),
)

role_permissions = Table(
    "role_permissions",
    metadata,
    Column("role", Text, ForeignKey("roles.name", ondelete="CASCADE"), primary_key=True),
    Column("permission", Text, primary_key=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("display_name", Text),
    Column("email", Text),
    # argon2id; empty for accounts that only log in through the agency's OpenID provider.
    Column("password_hash", Text),
    Column("role", Text, ForeignKey("roles.name"), nullable=False),
    Column("port", Text),  # a port officer's airport (IATA): their lookout list
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True)),
)

# Server-side sessions: the cookie holds a random token, the table its SHA-256, so a stolen
# database copy holds no usable session and a session can be ended from the server.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

# Tokens for other agencies' systems: shown once, stored as SHA-256, acting as their user.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

# Failed and successful logins, for throttling by account and by client address.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", Text, nullable=False),
    Column("client", Text),
    Column("success", Boolean, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_login_attempts_username_at", login_attempts.c.username, login_attempts.c.at)

# Every step of a hit's review, append-only (database triggers refuse UPDATE and DELETE):
# who, when, what, why and the state before and after.
hit_decisions = Table(
    "hit_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hit_id", Integer, ForeignKey("hits.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("actor", Text, nullable=False),  # the username, or "cli:<name>" for the shell
    Column("action", Text, nullable=False),
    Column("from_state", Text, nullable=False),
    Column("to_state", Text, nullable=False),
    Column("disposition", Text),
    Column("assignee_id", Integer),
    Column("reason", Text),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_hit_decisions_hit", hit_decisions.c.hit_id)

# Confirmed travellers for the officers at the arrival port, and what they found.
lookouts = Table(
    "lookouts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hit_id", Integer, ForeignKey("hits.id", ondelete="CASCADE"), nullable=False),
    Column(
        "traveller_id", Integer, ForeignKey("travellers.id", ondelete="CASCADE"), nullable=False
    ),
    Column("flight_id", Integer, ForeignKey("flights.id", ondelete="CASCADE"), nullable=False),
    Column("port", Text),
    Column("instruction", Text),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("outcome", Text),  # nothing_found, seizure, refused_entry, arrest, other
    Column("outcome_note", Text),
    Column("outcome_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("outcome_at", DateTime(timezone=True)),
    UniqueConstraint("hit_id", name="uq_lookouts_hit"),
)
Index("ix_lookouts_port", lookouts.c.port)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "traveller_id", Integer, ForeignKey("travellers.id", ondelete="CASCADE"), nullable=False
    ),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("author", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
Index("ix_notes_traveller", notes.c.traveller_id)

# The audit trail: every view of personal data, search, export and decision. Append-only
# (database triggers refuse UPDATE and DELETE); no route or command edits it.
audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", Integer),  # no foreign key: the trail outlives accounts
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),  # view_traveller, search, export, decide_hit ...
    Column("object_type", Text),
    Column("object_id", Text),
    Column("detail", JSON),
    Column("reason", Text),
    Column("client", Text),
)
Index("ix_audit_events_at", audit_events.c.at)
Index("ix_audit_events_object", audit_events.c.object_type, audit_events.c.object_id)

# Settings a supervisor changes at run time (second review policy, duty team address).
app_settings = Table(
    "app_settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Text),
)

# One row per hit and channel once a notification was attempted: a hit is announced once.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hit_id", Integer, ForeignKey("hits.id", ondelete="CASCADE"), nullable=False),
    Column("channel", Text, nullable=False),  # "email"
    Column("recipients", JSON, nullable=False),
    Column("status", Text, nullable=False),  # sent, failed
    Column("error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("hit_id", "channel", name="uq_notifications_hit"),
)
