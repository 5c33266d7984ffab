"""Put a few reported residents into the e2e database so /capaian draws its chart, then bump
the content revision so a running server drops cached pages. ``python -m e2e.add_residents``."""

from __future__ import annotations

import asyncio


async def main() -> None:
    from portal.content.load import bump_revision
    from tests.integration.public_fixtures import add_residents

    await add_residents("35.76.01.1007", ["diterima", "dijadwalkan", "sudah_rekam"])
    await add_residents("35.16.12.2007", ["diterima", "diterima", "sudah_rekam"])
    await bump_revision()


if __name__ == "__main__":
    asyncio.run(main())
