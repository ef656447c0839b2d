"""Areas over the JSON API. Codes and names are public NBS reference data."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from sihai.areas import selectors
from sihai.areas.models import AdministrativeArea

router = Router()


class AreaOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None

    @classmethod
    def of(cls, area: AdministrativeArea) -> AreaOut:
        return cls(
            code=area.code,
            name=area.name,
            short_name=area.short_name,
            level=area.level,
            parent_code=area.parent_id,
        )


class AreaDetailOut(AreaOut):
    path: list[AreaOut]
    children: list[AreaOut]


class ErrorOut(Schema):
    code: str
    message: str


@router.get(
    "/{code}",
    response={200: AreaDetailOut, 400: ErrorOut, 404: ErrorOut},
    summary="One area with its path from the city and its children",
)
def area_detail(request: HttpRequest, code: str) -> AreaDetailOut:
    area = selectors.area_get(code=code)
    return AreaDetailOut(
        **AreaOut.of(area).model_dump(),
        path=[AreaOut.of(a) for a in selectors.area_path(area=area)[:-1]],
        children=[AreaOut.of(a) for a in selectors.area_children(area=area)],
    )
