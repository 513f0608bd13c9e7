"""Countries by ISO 3166-1 code and name: what a persona's `regions` and a lead's `country` name.

A small table kept in the repository (no extra package): alpha-2 code, alpha-3 code,
English name, then other common names. `country_code("USA")`, `country_code("united
states")` and `country_code("US")` are all `"US"`. Regions are countries only: groups
such as "EU" or "EMEA" are not accepted (list the countries instead).
"""

from __future__ import annotations

import functools
import re

_TABLE = """
AE|ARE|United Arab Emirates|UAE
AR|ARG|Argentina
AT|AUT|Austria|Österreich
AU|AUS|Australia
BD|BGD|Bangladesh
BE|BEL|Belgium|Belgique|België
BG|BGR|Bulgaria
BH|BHR|Bahrain
BO|BOL|Bolivia
BR|BRA|Brazil|Brasil
BY|BLR|Belarus
CA|CAN|Canada
CH|CHE|Switzerland|Schweiz|Suisse
CL|CHL|Chile
CN|CHN|China|People's Republic of China|PRC
CO|COL|Colombia
CR|CRI|Costa Rica
CY|CYP|Cyprus
CZ|CZE|Czechia|Czech Republic
DE|DEU|Germany|Deutschland
DK|DNK|Denmark|Danmark
DO|DOM|Dominican Republic
DZ|DZA|Algeria
EC|ECU|Ecuador
EE|EST|Estonia
EG|EGY|Egypt
ES|ESP|Spain|España
FI|FIN|Finland|Suomi
FR|FRA|France
GB|GBR|United Kingdom|UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland
GH|GHA|Ghana
GR|GRC|Greece
GT|GTM|Guatemala
HK|HKG|Hong Kong
HR|HRV|Croatia
HU|HUN|Hungary
ID|IDN|Indonesia
IE|IRL|Ireland|Éire
IL|ISR|Israel
IN|IND|India
IQ|IRQ|Iraq
IR|IRN|Iran
IS|ISL|Iceland
IT|ITA|Italy|Italia
JM|JAM|Jamaica
JO|JOR|Jordan
JP|JPN|Japan
KE|KEN|Kenya
KR|KOR|South Korea|Korea|Republic of Korea
KW|KWT|Kuwait
KZ|KAZ|Kazakhstan
LB|LBN|Lebanon
LK|LKA|Sri Lanka
LT|LTU|Lithuania
LU|LUX|Luxembourg
LV|LVA|Latvia
MA|MAR|Morocco
MT|MLT|Malta
MX|MEX|Mexico|México
MY|MYS|Malaysia
NG|NGA|Nigeria
NL|NLD|Netherlands|The Netherlands|Holland|Nederland
NO|NOR|Norway|Norge
NZ|NZL|New Zealand
OM|OMN|Oman
PA|PAN|Panama
PE|PER|Peru
PH|PHL|Philippines
PK|PAK|Pakistan
PL|POL|Poland|Polska
PR|PRI|Puerto Rico
PT|PRT|Portugal
PY|PRY|Paraguay
QA|QAT|Qatar
RO|ROU|Romania
RS|SRB|Serbia
RU|RUS|Russia|Russian Federation
SA|SAU|Saudi Arabia
SE|SWE|Sweden|Sverige
SG|SGP|Singapore
SI|SVN|Slovenia
SK|SVK|Slovakia
TH|THA|Thailand
TN|TUN|Tunisia
TR|TUR|Turkey|Türkiye
TW|TWN|Taiwan
TZ|TZA|Tanzania
UA|UKR|Ukraine
UG|UGA|Uganda
US|USA|United States|United States of America|U.S.|U.S.A.|America
UY|URY|Uruguay
VE|VEN|Venezuela
VN|VNM|Vietnam|Viet Nam
ZA|ZAF|South Africa
"""
_NOISE = re.compile(r"[\s.\-_'’,()]+")


def _key(text: str) -> str:
    return _NOISE.sub("", text.casefold())


@functools.cache
def _codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        alpha2, *others = line.split("|")
        for name in (alpha2, *others):
            codes.setdefault(_key(name), alpha2)
    return codes


def country_code(text: str) -> str | None:
    """Return the ISO alpha-2 code a country code or name stands for, or `None` if unknown."""
    if not text:
        return None
    return _codes().get(_key(text))


def country_names() -> dict[str, str]:
    """Return every alpha-2 code with its English name, for help texts."""
    return {line.split("|")[0]: line.split("|")[2] for line in _TABLE.strip().splitlines()}
