"""What a worker needs, loaded once: imported by the fork server before it forks workers
(``scale.pool``) and by each Dask worker's first task, so no task pays for the imports or
for compiling the lexicons."""

from __future__ import annotations

import cunzhao.parse
import cunzhao.scale.tasks
import cunzhao.search.tokenize
import cunzhao.store.urls
from cunzhao.extract.lexicon import lexicon

__all__ = ["MODULES"]

MODULES = (cunzhao.parse, cunzhao.scale.tasks, cunzhao.search.tokenize, cunzhao.store.urls)
lexicon()
