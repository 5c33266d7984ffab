"""Staff routes, all under /petugas and guarded by require_staff (admin passes it too).

Each handler also carries the guard itself, so a route table walk sees it on every handler.
Coordinator accounts are managed by the accounts area at /petugas/koordinator.
"""

from litestar import Router

from portal.staff import (
    after_recording_pages,
    card_stock_pages,
    content_pages,
    coverage_pages,
    dashboard_pages,
    exports_pages,
    kits_pages,
    location_pages,
    office_reports_pages,
    queue_pages,
    resident_pages,
    session_pages,
    session_progress_pages,
    targets_pages,
)
from portal.staff.web import GUARDS

HANDLERS = [
    dashboard_pages.dashboard_page,
    queue_pages.queue_page,
    queue_pages.bulk_action,
    exports_pages.queue_csv,
    exports_pages.queue_xlsx,
    resident_pages.resident_page,
    resident_pages.reveal_nik,
    resident_pages.resident_action,
    session_pages.sessions_page,
    session_pages.new_session_page,
    session_pages.create_session,
    session_pages.session_page,
    session_pages.edit_session_page,
    session_pages.update_session,
    session_pages.cancel_session,
    session_pages.attendance,
    session_progress_pages.walk_ins,
    kits_pages.kits_list,
    kits_pages.create_kit,
    kits_pages.kit_page,
    kits_pages.save_kit,
    kits_pages.create_operator,
    kits_pages.operator_page,
    kits_pages.save_operator,
    exports_pages.roster_csv,
    exports_pages.roster_xlsx,
    content_pages.content_page,
    location_pages.location_view,
    location_pages.location_save,
    location_pages.location_part,
    location_pages.location_special_day_delete,
    content_pages.new_item_page,
    content_pages.create_item,
    content_pages.item_page,
    content_pages.save_item,
    content_pages.delete_item,
    coverage_pages.coverage_page,
    office_reports_pages.reports_page,
    office_reports_pages.handle_reports,
    office_reports_pages.reports_csv,
    # After recording: card states, blank-card stock, targets (issue 12).
    after_recording_pages.after_recording_page,
    after_recording_pages.move_cards,
    after_recording_pages.move_card,
    after_recording_pages.undo_print,
    card_stock_pages.card_stock_page,
    card_stock_pages.delivery,
    card_stock_pages.adjust,
    card_stock_pages.threshold,
    targets_pages.targets_view,
    targets_pages.save_target,
    targets_pages.save_month,
]

STAFF_ROUTES: list = [Router(path="/petugas", route_handlers=HANDLERS, guards=GUARDS)]
