"""Page-number pagination styles that never spend a request on an empty page they can predict.

Each style stops on a short page, and stops with a warning when an endpoint ignores `page`
(the new page starts with the same id as the previous one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from singer_sdk.pagination import BaseAPIPaginator, SinglePagePaginator

from tap_kit.responses import json_body

RowsOf = Callable[[requests.Response], Sequence[Any]]

logger = logging.getLogger("tap_kit.pagination")


def _first_id(rows: Sequence[Any], id_key: str) -> Any:
    first = rows[0] if rows else None
    return first.get(id_key) if isinstance(first, dict) else None


class GuardedPageNumberPaginator(BaseAPIPaginator[int]):
    """Page numbers from `first_page`; stops on a short page or on a repeated first id."""

    def __init__(
        self,
        first_page: int,
        page_size: int,
        rows_of: RowsOf,
        *,
        id_key: str = "id",
        label: str = "",
        more_flag: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__(first_page)
        self.page_size = page_size
        self._rows_of = rows_of
        self._id_key = id_key
        self._label = label
        self._more_flag = more_flag
        self._previous_first_id: Any = None

    def has_more(self, response: requests.Response) -> bool:
        rows = self._rows_of(response)
        if len(rows) < self.page_size or not self._flag_says_more(response):
            return False
        first_id = _first_id(rows, self._id_key)
        if first_id is not None and first_id == self._previous_first_id:
            logger.warning(
                "Stopped paging %s: page %s repeats the previous page's first id %s, "
                "so the endpoint ignores the page parameter.",
                self._label or response.request.path_url.split("?")[0],
                self.current_value,
                first_id,
            )
            return False
        self._previous_first_id = first_id
        return True

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
        self, rows_of: RowsOf, id_key: str = "id", label: str = ""
    ) -> BaseAPIPaginator[Any]:
        if not self.paginated:
            return SinglePagePaginator()
        return GuardedPageNumberPaginator(
            self.first_page,
            self.page_size,
            rows_of,
            id_key=id_key,
            label=label,
            more_flag=self.more_flag,
        )


PAGE_AND_PER_PAGE = PageStyle(first_page=1, size_param="per_page")
PAGE_AND_LIMIT = PageStyle(first_page=1, size_param="limit")
ZERO_BASED_PAGE_AND_LIMIT = PageStyle(first_page=0, size_param="limit")
SINGLE_PAGE = PageStyle(size_param=None)


def rows_at(key: str | None) -> RowsOf:
    """Rows of a JSON response: the list under `key`, or the body itself (a list or one object)."""

    def rows_of(response: requests.Response) -> Sequence[Any]:
        body = json_body(response)
        if key is not None and isinstance(body, dict):
            body = body.get(key) or []
        if isinstance(body, dict):
            return [body]  # A single-object endpoint: the object is the one row.
        return body if isinstance(body, list) else []

    return rows_of
