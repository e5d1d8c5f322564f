"""The streaming domain's FastAPI dependencies, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from streaming.runtime import StreamingRuntime, get_runtime

Runtime = Annotated[StreamingRuntime, Depends(get_runtime)]
