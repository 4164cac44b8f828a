"""Page-number pagination styles that never spend a request on an empty page they can predict.

Each style stops on a short page, and stops with a warning on a page that brings no row the
listing has not already read (an endpoint that ignores `page`, even one that reorders its rows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from singer_sdk.pagination import BaseAPIPaginator, SinglePagePaginator

from tap_kit.responses import json_body

RowsOf = Callable[[requests.Response], Sequence[Any]]

logger = logging.getLogger("tap_kit.pagination")


class GuardedPageNumberPaginator(BaseAPIPaginator[int]):
    """Page numbers from `first_page`; stops on a short page or a page of rows already read.

    The keys of the rows read so far (keys only) let `unseen` drop repeated rows, so a listing
    that repeats or reorders pages never emits a row twice.
    """

    def __init__(
        self,
        first_page: int,
        page_size: int,
        rows_of: RowsOf,
        *,
        key_fields: tuple[str, ...] = ("id",),
        label: str = "",
        more_flag: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__(first_page)
        self.page_size = page_size
        self._rows_of = rows_of
        self._key_fields = key_fields
        self._label = label
        self._more_flag = more_flag
        self._seen: set[Hashable] = set()
        self.stalled = False

    def _key(self, row: Any) -> Hashable | None:
        if not isinstance(row, dict) or not self._key_fields:
            return None
        key = tuple(row.get(field) for field in self._key_fields)
        return None if None in key else key

    def unseen(self, rows: Sequence[Any], response: requests.Response) -> list[Any]:
        """The rows of this page whose key no earlier page of the listing brought."""
        fresh: list[Any] = []
        for row in rows:
            key = self._key(row)
            if key is None:
                fresh.append(row)
            elif key not in self._seen:
                self._seen.add(key)
                fresh.append(row)
        if rows and not fresh:
            self.stalled = True
            logger.warning(
                "Stopped paging %s: page %s brought no row that earlier pages had not, so the "
                "endpoint ignores the page parameter; its repeated rows were not emitted again.",
                self._label or response.request.path_url.split("?")[0],
                self.current_value,
            )
        return fresh

    def has_more(self, response: requests.Response) -> bool:
        if self.stalled:
            return False
        rows = self._rows_of(response)
        return len(rows) >= self.page_size and self._flag_says_more(response)

    def _flag_says_more(self, response: requests.Response) -> bool:
        """The body's own "more pages" flag, when the API has one (e.g. paging.hasNext)."""
        if self._more_flag is None:
            return True
        value: Any = json_body(response)
        for key in self._more_flag:
            value = value.get(key) if isinstance(value, dict) else None
        return bool(value)

    def get_next(self, response: requests.Response) -> int | None:
        return self.current_value + 1


@dataclass(frozen=True)
class PageStyle:
    """How one endpoint pages: the first page number and the name of its size parameter."""

    first_page: int = 1
    size_param: str | None = "per_page"
    page_param: str = "page"
    page_size: int = 100
    #: Path of a boolean "more pages" flag in the body, for APIs that send one.
    more_flag: tuple[str, ...] | None = None

    @property
    def paginated(self) -> bool:
        return self.size_param is not None

    def url_params(self, page: int | None) -> dict[str, Any]:
        if not self.paginated:
            return {}
        return {
            self.page_param: self.first_page if page is None else page,
            str(self.size_param): self.page_size,
        }

    def new_paginator(
        self, rows_of: RowsOf, key_fields: tuple[str, ...] = ("id",), label: str = ""
    ) -> BaseAPIPaginator[Any]:
        if not self.paginated:
            return SinglePagePaginator()
        return GuardedPageNumberPaginator(
            self.first_page,
            self.page_size,
            rows_of,
            key_fields=key_fields,
            label=label,
            more_flag=self.more_flag,
        )


PAGE_AND_PER_PAGE = PageStyle(first_page=1, size_param="per_page")
PAGE_AND_LIMIT = PageStyle(first_page=1, size_param="limit")
ZERO_BASED_PAGE_AND_LIMIT = PageStyle(first_page=0, size_param="limit")
SINGLE_PAGE = PageStyle(size_param=None)
