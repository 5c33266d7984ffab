"""Index helpers for migrations refuse anything but a plain index name, since the name is
spliced into SQL."""

import pytest

from portal.online_ddl import create_index


@pytest.mark.parametrize("name", ["x; DROP TABLE resident", "Resident_Idx", "1abc", "a b", ""])
async def test_create_index_refuses_names_that_are_not_plain_identifiers(name):
    with pytest.raises(ValueError, match="not an index name"):
        await create_index(name, "resident (office)")
