"""The coordinator's router: every page under /koordinator, guarded by require_coordinator."""

from litestar import Router

from portal.auth.guards import require_coordinator
from portal.coordinator import (
    dashboard_pages,
    imports_pages,
    new_list_pages,
    office_list_pages,
    preview_pages,
    resident_list_pages,
    resident_pages,
    rows_pages,
    submit_pages,
)
from portal.coordinator.web import DEPENDENCIES

HANDLERS = [
    dashboard_pages.dashboard,
    new_list_pages.new_list_form,
    new_list_pages.create_list_handler,
    resident_list_pages.show_list,
    resident_list_pages.update_info,
    resident_list_pages.print_sheet,
    submit_pages.submit,
    submit_pages.withdraw,
    submit_pages.reopen,
    submit_pages.delete_list,
    rows_pages.add,
    rows_pages.check_field,
    rows_pages.discard_entry,
    rows_pages.edit_form,
    rows_pages.household_form,
    rows_pages.save_resident,
    rows_pages.remove,
    resident_pages.show_resident,
    imports_pages.paste_form,
    imports_pages.paste,
    imports_pages.upload_form,
    imports_pages.upload,
    imports_pages.download_template_csv,
    imports_pages.download_template_xlsx,
    preview_pages.show_preview,
    preview_pages.fix_row_form,
    preview_pages.fix_row,
    preview_pages.skip_row,
    preview_pages.confirm,
    preview_pages.cancel,
    office_list_pages.office_list_page,
    office_list_pages.mark_several,
    office_list_pages.person_page,
    office_list_pages.mark_one,
]

COORDINATOR_ROUTES: list = [
    Router(
        path="/koordinator",
        route_handlers=HANDLERS,
        guards=[require_coordinator],
        dependencies=DEPENDENCIES,
    )
]
