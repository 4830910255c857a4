"""A small synthetic household survey with survey-style codes, built in code (no files).

Stratified (4 strata = 2 regions × urban/rural), 8 clusters per stratum, 6 households per
cluster, 1–5 persons per household. Codes: sex 1 = male, 2 = female; yes/no items 1 = yes,
2 = no, 8/9 = don't know / no answer; q18 is text with "DK"; rel 1 = household head.
Rates depend on sex, age, urban/rural and a cluster effect so that gaps and design effects
are not trivial.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def make_survey(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    hh = 0
    for stratum in range(1, 5):
        urban = stratum % 2 == 1
        for c in range(8):
            cluster = stratum * 100 + c
            effect = rng.normal(0, 0.6)
            for _ in range(6):
                hh += 1
                size = int(rng.integers(1, 6))
                hhwt = float(rng.uniform(80, 160))
                h6 = 1 if rng.random() < (0.6 if urban else 0.3) else 2
                for p in range(size):
                    female = rng.random() < 0.5
                    age = int(rng.integers(5, 90))
                    lin = -0.2 + (0.9 if urban else -0.4) - (0.5 if female else 0) + effect
                    lin -= 0.03 * max(age - 30, 0)
                    prob = 1 / (1 + np.exp(-lin))

                    def yn(q: float, dk: int = 9, p_dk: float = 0.03) -> int:
                        if rng.random() < p_dk:
                            return dk
                        return 1 if rng.random() < q else 2

                    own = yn(min(prob + 0.2, 0.98))
                    rows.append(
                        {
                            "stratum": stratum,
                            "cluster": cluster,
                            "hhid": hh,
                            "rel": 1 if p == 0 else 2,
                            "wt": hhwt * float(rng.uniform(0.9, 1.1)),
                            "hhwt": hhwt,
                            "b4": 2 if female else 1,
                            "b5": age,
                            "ur": 1 if urban else 2,
                            "edu": int(rng.choice([1, 2, 3, 4, 9], p=[0.3, 0.3, 0.2, 0.15, 0.05])),
                            "lfs": int(rng.choice([1, 2, 3], p=[0.55, 0.1, 0.35])),
                            "q7": yn(prob, dk=8),
                            "q10": yn(min(prob + 0.25, 0.99)),
                            "q18": "DK" if own == 9 else str(own),
                            "s_copa": yn(prob * 0.6, dk=8),
                            "s_email": yn(prob * 0.4, dk=8),
                            "h6": h6,
                        }
                    )
    return pd.DataFrame(rows)
