"""How an address is written in its country: "Houston, TX 77070", "London EC2A 4QS", "10115 Berlin"."""

from __future__ import annotations

US_STATES = {
    "alabama": "AL",
    "alaska": "AK",
    "arizona": "AZ",
    "arkansas": "AR",
    "california": "CA",
    "colorado": "CO",
    "connecticut": "CT",
    "delaware": "DE",
    "district of columbia": "DC",
    "florida": "FL",
    "georgia": "GA",
    "hawaii": "HI",
    "idaho": "ID",
    "illinois": "IL",
    "indiana": "IN",
    "iowa": "IA",
    "kansas": "KS",
    "kentucky": "KY",
    "louisiana": "LA",
    "maine": "ME",
    "maryland": "MD",
    "massachusetts": "MA",
    "michigan": "MI",
    "minnesota": "MN",
    "mississippi": "MS",
    "missouri": "MO",
    "montana": "MT",
    "nebraska": "NE",
    "nevada": "NV",
    "new hampshire": "NH",
    "new jersey": "NJ",
    "new mexico": "NM",
    "new york": "NY",
    "north carolina": "NC",
    "north dakota": "ND",
    "ohio": "OH",
    "oklahoma": "OK",
    "oregon": "OR",
    "pennsylvania": "PA",
    "rhode island": "RI",
    "south carolina": "SC",
    "south dakota": "SD",
    "tennessee": "TN",
    "texas": "TX",
    "utah": "UT",
    "vermont": "VT",
    "virginia": "VA",
    "washington": "WA",
    "west virginia": "WV",
    "wisconsin": "WI",
    "wyoming": "WY",
    "puerto rico": "PR",
    "guam": "GU",
}
CANADIAN_PROVINCES = {
    "alberta": "AB",
    "british columbia": "BC",
    "manitoba": "MB",
    "new brunswick": "NB",
    "newfoundland and labrador": "NL",
    "nova scotia": "NS",
    "northwest territories": "NT",
    "nunavut": "NU",
    "ontario": "ON",
    "prince edward island": "PE",
    "quebec": "QC",
    "québec": "QC",
    "saskatchewan": "SK",
    "yukon": "YT",
}
AUSTRALIAN_STATES = {
    "australian capital territory": "ACT",
    "new south wales": "NSW",
    "northern territory": "NT",
    "queensland": "QLD",
    "south australia": "SA",
    "tasmania": "TAS",
    "victoria": "VIC",
    "western australia": "WA",
}

_US = {"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america"}
_CANADA = {"ca", "canada"}
_AUSTRALIA = {"au", "australia"}
_UK = {"uk", "gb", "united kingdom", "great britain", "england", "scotland", "wales", "northern ireland"}
_REGION_TABLES = ((_US, US_STATES), (_CANADA, CANADIAN_PROVINCES), (_AUSTRALIA, AUSTRALIAN_STATES))


def _abbreviation(region: str, table: dict[str, str]) -> str:
    return table.get(region.strip().lower(), region.strip())


def locality_line(city: str, postal_code: str, country: str, region: str | None = None) -> str:
    """The line of an address that holds the city, region and postal code, in the country's convention.

    United States: "Houston, TX 77070"; Canada and Australia: "Toronto ON M5V 2T6", "Sydney NSW 2000";
    United Kingdom: "London EC2A 4QS" (a region, if given, after the city); elsewhere the postal code
    comes first, as in most of Europe: "10115 Berlin" (a region, if given, after a comma).
    """
    key = country.strip().lower()
    for names, table in _REGION_TABLES:
        if key in names:
            region_part = _abbreviation(region, table) if region else ""
            if names is _US:
                tail = " ".join(p for p in (region_part, postal_code) if p)
                return f"{city}, {tail}" if tail else city
            return " ".join(p for p in (city, region_part, postal_code) if p)
    if key in _UK:
        return " ".join(p for p in (city if not region else f"{city}, {region}", postal_code) if p)
    line = " ".join(p for p in (postal_code, city) if p)
    return f"{line}, {region}" if region else line
