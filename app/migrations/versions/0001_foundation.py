"""foundation: centre, staff, audit, residents, rooms

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('centre',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('idle_lock_minutes', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_device', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centre'))
    )
    op.create_table('local_setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_local_setting'))
    )
    op.create_table('resident',
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('given_names', sa.String(length=200), nullable=False),
    sa.Column('family_name', sa.String(length=200), nullable=False),
    sa.Column('name_in_own_script', sa.String(length=200), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('age_disputed', sa.Boolean(), nullable=False),
    sa.Column('sex', sa.String(length=10), nullable=False),
    sa.Column('nationality', sa.String(length=80), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('arrival_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('moved_out_on', sa.Date(), nullable=True),
    sa.Column('move_out_reason', sa.String(length=30), nullable=True),
    sa.Column('move_out_note', sa.Text(), nullable=True),
    sa.Column('representative_name', sa.String(length=200), nullable=True),
    sa.Column('representative_phone', sa.String(length=40), nullable=True),
    sa.Column('representative_email', sa.String(length=200), nullable=True),
    sa.Column('street_oriented', sa.Boolean(), nullable=False),
    sa.Column('special_needs', sa.Boolean(), nullable=False),
    sa.Column('special_needs_note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_device', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident'))
    )
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index('ix_resident_current', ['moved_out_on', 'family_name'], unique=False)
        batch_op.create_index('ix_resident_person_id', ['person_id'], unique=False)
        batch_op.create_index('uq_resident_current_person_id', ['person_id'], unique=True, sqlite_where=sa.text('moved_out_on IS NULL AND deleted_at IS NULL'), postgresql_where=sa.text('moved_out_on IS NULL AND deleted_at IS NULL'))

    op.create_table('room',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('section', sa.String(length=30), nullable=False),
    sa.Column('floor', sa.String(length=20), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_device', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index('ix_room_name', ['name'], unique=False)

    op.create_table('staff',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_device', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index('ix_staff_username', ['username'], unique=True)

    op.create_table('audit_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('staff_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_audit_entry_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_entry_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index('ix_audit_entry_staff_id', ['staff_id', 'at'], unique=False)

    op.create_table('bed',
    sa.Column('room_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_device', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_bed_room_id_room')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bed'))
    )
    with op.batch_alter_table('bed', schema=None) as batch_op:
        batch_op.create_index('ix_bed_room_id', ['room_id'], unique=False)

    op.create_table('contact_assignment',
    sa.Column('resident_id', sa.Uuid(), nullable=False),
    sa.Column('staff_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_device', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_contact_assignment_resident_id_resident')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_contact_assignment_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_assignment'))
    )
    with op.batch_alter_table('contact_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_contact_assignment_staff', ['staff_id', 'ended_on'], unique=False)
        batch_op.create_index('uq_contact_assignment_open', ['resident_id', 'kind'], unique=True, sqlite_where=sa.text('ended_on IS NULL AND deleted_at IS NULL'), postgresql_where=sa.text('ended_on IS NULL AND deleted_at IS NULL'))

    op.create_table('draft',
    sa.Column('staff_id', sa.Uuid(), nullable=False),
    sa.Column('form_key', sa.String(length=120), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_draft_staff_id_staff')),
    sa.PrimaryKeyConstraint('staff_id', 'form_key', name=op.f('pk_draft'))
    )
    op.create_table('bed_assignment',
    sa.Column('resident_id', sa.Uuid(), nullable=False),
    sa.Column('bed_id', sa.Uuid(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.String(length=30), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_device', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bed_id'], ['bed.id'], name=op.f('fk_bed_assignment_bed_id_bed')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_bed_assignment_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bed_assignment'))
    )
    with op.batch_alter_table('bed_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_bed_assignment_resident', ['resident_id', 'started_on'], unique=False)
        batch_op.create_index('uq_bed_assignment_open_bed', ['bed_id'], unique=True, sqlite_where=sa.text('ended_on IS NULL AND deleted_at IS NULL'), postgresql_where=sa.text('ended_on IS NULL AND deleted_at IS NULL'))




def downgrade() -> None:

    with op.batch_alter_table('bed_assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_bed_assignment_open_bed', sqlite_where=sa.text('ended_on IS NULL AND deleted_at IS NULL'), postgresql_where=sa.text('ended_on IS NULL AND deleted_at IS NULL'))
        batch_op.drop_index('ix_bed_assignment_resident')

    op.drop_table('bed_assignment')
    op.drop_table('draft')
    with op.batch_alter_table('contact_assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_contact_assignment_open', sqlite_where=sa.text('ended_on IS NULL AND deleted_at IS NULL'), postgresql_where=sa.text('ended_on IS NULL AND deleted_at IS NULL'))
        batch_op.drop_index('ix_contact_assignment_staff')

    op.drop_table('contact_assignment')
    with op.batch_alter_table('bed', schema=None) as batch_op:
        batch_op.drop_index('ix_bed_room_id')

    op.drop_table('bed')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_staff_id')
        batch_op.drop_index('ix_audit_entry_entity')
        batch_op.drop_index('ix_audit_entry_at')

    op.drop_table('audit_entry')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_username')

    op.drop_table('staff')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index('ix_room_name')

    op.drop_table('room')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index('uq_resident_current_person_id', sqlite_where=sa.text('moved_out_on IS NULL AND deleted_at IS NULL'), postgresql_where=sa.text('moved_out_on IS NULL AND deleted_at IS NULL'))
        batch_op.drop_index('ix_resident_person_id')
        batch_op.drop_index('ix_resident_current')

    op.drop_table('resident')
    op.drop_table('local_setting')
    op.drop_table('centre')

