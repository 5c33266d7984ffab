"""Coordinator routes, all under /koordinator and guarded by require_coordinator."""

from litestar import Router

from portal.auth.guards import require_coordinator
from portal.coordinator import import_routes, list_routes, row_routes

HANDLERS = [
    list_routes.dashboard,
    list_routes.new_list_form,
    list_routes.create_list_handler,
    list_routes.show_list,
    list_routes.update_info,
    list_routes.submit,
    list_routes.withdraw,
    list_routes.reopen,
    list_routes.delete_list,
    list_routes.print_sheet,
    row_routes.add,
    row_routes.check_field,
    row_routes.discard_entry,
    row_routes.edit_form,
    row_routes.household_form,
    row_routes.save_resident,
    row_routes.remove,
    row_routes.show_resident,
    import_routes.paste_form,
    import_routes.paste,
    import_routes.upload_form,
    import_routes.upload,
    import_routes.download_template_csv,
    import_routes.download_template_xlsx,
    import_routes.show_preview,
    import_routes.fix_row_form,
    import_routes.fix_row,
    import_routes.skip_row,
    import_routes.confirm,
    import_routes.cancel,
]

COORDINATOR_ROUTES: list = [
    Router(path="/koordinator", route_handlers=HANDLERS, guards=[require_coordinator])
]
