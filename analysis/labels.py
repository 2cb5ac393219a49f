"""Words beside codes, and the report's order: label columns filled from the dimension resources.

A resource whose schema has item_order, item_wording, role_group_label or wave_label gets them from
items, role_groups and survey_waves (the single source of each label), and is sorted as the report
prints it: by item, then wave (2015 first, as each table prints it), then role group."""
from __future__ import annotations

import pandas as pd

from core import schemas

LOOKUPS = {  # label column: (dimension resource, its key, the column copied)
    "item_order": ("items", "item_id", "item_order"),
    "item_wording": ("items", "item_id", "row_label"),
    "role_group_label": ("role_groups", "role_group", "column_label"),
    "wave_label": ("survey_waves", "survey_year", "label"),
}


def attach(name: str, df: pd.DataFrame, res: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """df with its schema's label columns filled, in schema column order and printed row order."""
    wanted = schemas.field_names(name)
    df = df.copy()
    for column, (dimension, key, source) in LOOKUPS.items():
        if column in wanted and key in df.columns and name != dimension:
            values = res[dimension].set_index(key)[source]
            df[column] = df[key].map(values).astype(values.dtype)
    df = df[[c for c in wanted if c in df.columns]]
    if "item_order" not in df:
        return df
    keys = pd.DataFrame({"item": df["item_order"]}, index=df.index)
    if "survey_year" in df:
        keys["wave"] = -df["survey_year"]  # 2015 first, as each table prints it
    if "role_group" in df:
        keys["role"] = df["role_group"].map(res["role_groups"].set_index("role_group")["sort_order"])
    return df.loc[keys.sort_values(list(keys.columns), kind="stable").index].reset_index(drop=True)
