"""Every user-facing message template of the map document core, in English.

Templates are marked with ``gettext_noop`` so Django's ``makemessages`` extracts them while this
package stays free of Django; the Django layer translates them when it renders an ``Issue``.
Placeholders are ``%(name)s``. A ``%(value)s`` parameter is always a short JSON rendering of the
offending value (strings arrive already quoted), so templates do not quote it again.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it (extracted by makemessages)."""
    return message


# Where an issue is: joined as 'layer 2 "Écoles", feature 17: <message>'.
LOCATION_LAYER = gettext_noop("layer %(layer)s")
LOCATION_LAYER_NAMED = gettext_noop('layer %(layer)s "%(layer_name)s"')
LOCATION_FEATURE = gettext_noop("feature %(feature)s")
LOCATION_DETAIL = gettext_noop("%(where)s, at %(detail)s")
LOCATED_MESSAGE = gettext_noop("%(where)s: %(message)s")
MORE_ISSUES = gettext_noop("checking stopped after %(count)s errors: fix these first")

# Sizes.
TOO_DEEP = gettext_noop("the data is nested too deeply: %(value)s levels, the limit is %(limit)s")
TOO_DEEP_UNMEASURED = gettext_noop("the data is nested too deeply: the limit is %(limit)s levels")
TOO_MANY_BYTES = gettext_noop("the map is too large: %(value)s bytes, the limit is %(limit)s bytes")
TOO_MANY_LAYERS = gettext_noop("too many layers: %(value)s, the limit is %(limit)s")
TOO_MANY_FEATURES = gettext_noop("too many features: %(value)s, the limit is %(limit)s")
TOO_MANY_VERTICES = gettext_noop("too many points in geometries: %(value)s, the limit is %(limit)s")
# Per layer (a browser draws one layer at a time: these keep it responsive).
TOO_MANY_LAYER_FEATURES = gettext_noop(
    "too many features in this layer: %(value)s, the limit per layer is %(limit)s; "
    "split it into several layers"
)
TOO_MANY_LAYER_VERTICES = gettext_noop(
    "too many points in this layer's geometries: %(value)s, the limit per layer is %(limit)s; "
    "simplify the geometries or split the layer"
)
NOT_JSON = gettext_noop("the map holds a value that JSON cannot represent: %(value)s")
TOO_MANY_PROPERTIES = gettext_noop(
    "too many properties: %(value)s, the limit per feature is %(limit)s"
)
# A lone surrogate (a "\ud800" escape without its pair) is no character: no database stores it.
LONE_SURROGATE = gettext_noop(
    "the text %(value)s holds %(code)s, half of a character (a lone surrogate): remove it or "
    "write the whole character"
)

# Generic field checks ("field" is the JSON key, which stays untranslated).
NOT_OBJECT = gettext_noop('"%(field)s" must be a JSON object, not %(value)s')
NOT_LIST = gettext_noop('"%(field)s" must be a list, not %(value)s')
NOT_TEXT = gettext_noop('"%(field)s" must be text, not %(value)s')
NOT_BOOLEAN = gettext_noop('"%(field)s" must be true or false, not %(value)s')
TEXT_TOO_LONG = gettext_noop(
    '"%(field)s" is too long: %(value)s characters, the limit is %(limit)s'
)
UNKNOWN_KEY = gettext_noop('unknown key "%(key)s" in "%(field)s"')

# The document and its options.
DOCUMENT_NOT_OBJECT = gettext_noop("the map document must be a JSON object, not %(value)s")
UNKNOWN_DOCUMENT_KEY = gettext_noop('unknown key "%(key)s" in the map document')
BAD_VERSION = gettext_noop("unsupported map document version %(value)s: expected %(expected)s")
UNKNOWN_OPTION = gettext_noop('unknown map option "%(key)s"')
BAD_BASEMAP = gettext_noop(
    'the basemap must be a short key such as "plan_ign" (letters, digits, "-", "_", "."), '
    "not %(value)s"
)
BAD_ZOOM = gettext_noop("the zoom must be a whole number from 0 to 22, not %(value)s")
BAD_CENTER = gettext_noop('the centre must be an object with "lat" and "lng", or null')
NOT_NUMBER = gettext_noop('"%(field)s" must be a number, not %(value)s')
LATITUDE_RANGE = gettext_noop("latitude %(value)s is outside -90..90")
LONGITUDE_RANGE = gettext_noop("longitude %(value)s is outside -180..180")
BAD_BOUNDS = gettext_noop(
    'the limits of the map must be an object with "south", "west", "north" and "east" '
    "(south below north, west left of east), or null"
)
UNKNOWN_CONTROL = gettext_noop('unknown control "%(key)s": the controls are %(choices)s')
BAD_URL = gettext_noop("the licence address must start with http:// or https://, not %(value)s")

# Layers.
LAYER_NOT_OBJECT = gettext_noop("a layer must be a JSON object, not %(value)s")
UNKNOWN_LAYER_KEY = gettext_noop('unknown layer key "%(key)s"')
LAYER_NAME_MISSING = gettext_noop("the layer needs a name")
BAD_LAYER_ID = gettext_noop(
    'the layer id must be 1 to 64 letters, digits, "-" or "_", not %(value)s'
)
BAD_LANGUAGE = gettext_noop(
    '"%(field)s" must be a language tag such as "en" or "pt-BR", or empty, not %(value)s'
)
DUPLICATE_LAYER_ID = gettext_noop("the layer id %(value)s is already used by layer %(other)s")
FEATURES_AND_DATA = gettext_noop('a layer has either "features" or "data", not both')
BAD_DIGEST = gettext_noop('"digest" must be 64 hexadecimal characters (SHA-256), not %(value)s')
BAD_COUNT = gettext_noop('"%(field)s" must be a whole number, 0 or more, not %(value)s')
MISSING_KEY = gettext_noop('"%(field)s" lacks "%(key)s"')

# Features and geometries.
FEATURE_NOT_OBJECT = gettext_noop("a feature must be a JSON object, not %(value)s")
NOT_A_FEATURE = gettext_noop('expected a GeoJSON "Feature", found type %(value)s')
NO_GEOMETRY = gettext_noop("feature has no geometry")
GEOMETRY_NOT_OBJECT = gettext_noop("the geometry must be a JSON object, not %(value)s")
UNKNOWN_GEOMETRY = gettext_noop("unknown geometry type %(value)s")
EMPTY_GEOMETRY = gettext_noop("the geometry has no coordinates")
EMPTY_COLLECTION = gettext_noop("the geometry collection is empty")
BAD_POSITION = gettext_noop("a position must be a list of 2 or 3 numbers, not %(value)s")
COORDINATE_NOT_NUMBER = gettext_noop("coordinate %(value)s is not a number")
COORDINATE_NOT_FINITE = gettext_noop("coordinate %(value)s is not a finite number")
LINE_TOO_SHORT = gettext_noop("a line needs at least 2 positions, found %(value)s")
RING_TOO_SHORT = gettext_noop("a polygon ring needs at least 4 positions, found %(value)s")
RING_NOT_CLOSED = gettext_noop("a polygon ring must end at its first position")
PROPERTIES_NOT_OBJECT = gettext_noop("feature properties must be a JSON object, not %(value)s")
BAD_FEATURE_ID = gettext_noop("a feature id must be text or a whole number, not %(value)s")

# Styles.
UNKNOWN_STYLE_KEY = gettext_noop('unknown style key "%(key)s"')
BAD_COLOUR = gettext_noop(
    'bad colour %(value)s for "%(key)s": use #rgb, #rrggbb, #rrggbbaa or a CSS colour name'
)
STYLE_RANGE = gettext_noop('"%(key)s" must be a number from %(min)s to %(max)s, not %(value)s')
BAD_DASH_ARRAY = gettext_noop(
    '"dash_array" must be numbers separated by commas or spaces, not %(value)s'
)
BAD_MARKER_SHAPE = gettext_noop("unknown marker shape %(value)s: use one of %(choices)s")
BAD_PICTOGRAM = gettext_noop(
    '"pictogram" must be text of at most %(max)s characters (an emoji or a few letters), '
    "not %(value)s"
)
BAD_MARKER_SIZE = gettext_noop(
    '"marker_size" must be a whole number of pixels from %(min)s to %(max)s, not %(value)s'
)

# Data visualisation: representations, zooms, filters, popups, slideshow, media.
BAD_CHOICE = gettext_noop('"%(field)s" must be one of %(choices)s, not %(value)s')
NUMBER_RANGE = gettext_noop('"%(field)s" must be a number from %(min)s to %(max)s, not %(value)s')
WHOLE_NUMBER_RANGE = gettext_noop(
    '"%(field)s" must be a whole number from %(min)s to %(max)s, not %(value)s'
)
TOO_MANY_ITEMS = gettext_noop('"%(field)s" has too many entries: %(value)s, the limit is %(limit)s')
REPRESENTATION_NEEDS_FIELD = gettext_noop(
    'the %(kind)s representation needs a "field": the property whose values it shows'
)
BAD_MANUAL_BREAKS = gettext_noop(
    "manual classes need %(expected)s breaks (one fewer than the classes), numbers in "
    "ascending order, not %(value)s"
)
DUPLICATE_CATEGORY = gettext_noop("the category %(value)s is listed twice")
RADIUS_ORDER = gettext_noop(
    "the smallest circle radius (%(min)s) is larger than the largest one (%(max)s)"
)
BAD_LAYER_ZOOM = gettext_noop(
    '"%(field)s" must be a whole number from 0 to 22, or null, not %(value)s'
)
ZOOM_ORDER = gettext_noop('"min_zoom" (%(min)s) is larger than "max_zoom" (%(max)s)')
FILTER_NEEDS_FIELD = gettext_noop('"%(field)s" needs the property (or properties) it filters on')
SLIDESHOW_UNKNOWN_LAYER = gettext_noop("the slideshow's layer %(value)s is not a layer of this map")
BAD_VIDEO_URL = gettext_noop("a video address must start with https://, not %(value)s")
BAD_MEDIA_ID = gettext_noop(
    '"%(field)s" must be the number of an image or a document, not %(value)s'
)

# Files.
UNSUPPORTED_EXTENSION = gettext_noop("unsupported file type %(value)s: use a file in %(choices)s")
FILE_TOO_LARGE = gettext_noop(
    "the file is too large: %(value)s bytes, the limit is %(limit)s bytes"
)
FILE_OVER_LIMIT = gettext_noop("the file is too large: the limit is %(limit)s bytes")
NOT_UTF8 = gettext_noop("the file is not UTF-8 text: unreadable byte at position %(position)s")
BAD_JSON = gettext_noop("the file is not valid JSON: error at line %(line)s, column %(column)s")
JSON_CONSTANT = gettext_noop("the file contains %(value)s, which JSON does not allow")
NUMBER_TOO_LONG = gettext_noop(
    "the file holds a number of %(value)s digits at line %(line)s, column %(column)s: the limit "
    "is %(limit)s digits"
)
# The XML formats (KML, GPX, GeoRSS) share their parsing, and these messages.
XML_NOT_XML = gettext_noop("the file is not valid XML: error at line %(line)s, column %(column)s")
XML_FORBIDDEN = gettext_noop("the file declares a DTD or entities, which are refused for safety")
XML_TOO_DEEP = gettext_noop(
    "the file's elements are nested more than %(limit)s levels deep: at line %(line)s, column "
    "%(column)s"
)
NOT_GEOJSON = gettext_noop("the file is not GeoJSON: unexpected type %(value)s")
NOT_UMAP = gettext_noop('the file is not a uMap map: expected "type": "umap", found %(value)s')
FOREIGN_CRS = gettext_noop(
    "the file uses the coordinate system %(value)s: export it in WGS 84 (EPSG:4326)"
)

# Import notes: read and kept, but not shown.
NOTE_MAP_OPTION = gettext_noop('uMap option "%(name)s" is kept but not shown yet')
NOTE_LAYER_OPTION = gettext_noop('uMap layer option "%(name)s" is kept but not shown yet')
NOTE_FEATURE_OPTION = gettext_noop('uMap feature option "%(name)s" is kept but not shown yet')
NOTE_UNUSABLE_VALUE = gettext_noop(
    'uMap option "%(name)s" has a value this site cannot show (%(value)s): it is kept as is'
)
NOTE_BASEMAP = gettext_noop(
    "the uMap basemap %(value)s is not used: the map shows the site's default basemap"
)

# --- CSV
# Where an issue is in a CSV file: 'layer 1 "Écoles", line 7: <message>'.
LOCATION_LINE = gettext_noop("line %(line)s")
CSV_EMPTY = gettext_noop("the CSV file is empty")
CSV_NO_ROWS = gettext_noop("the CSV file has a header line but no data rows")
CSV_SPREADSHEET = gettext_noop(
    "the file is a spreadsheet (%(value)s), not CSV: save it as CSV (UTF-8) from your "
    "spreadsheet program"
)
CSV_BINARY = gettext_noop("the file is not text: it contains a null byte at line %(line)s")
CSV_MIXED_ENCODINGS = gettext_noop(
    "the file mixes UTF-8 with another encoding: line %(line)s is not UTF-8; save the whole "
    "file as UTF-8"
)
CSV_UNCLOSED_QUOTE = gettext_noop('a quoted cell (") starting on this line is never closed')
CSV_BAD_QUOTES = gettext_noop(
    'a quoted cell is followed by other characters: put the whole cell in quotes ("") and '
    "double the quotes inside it"
)
CSV_CELL_TOO_LARGE = gettext_noop("a cell is too large: the limit is %(limit)s characters")
CSV_TOO_MANY_COLUMNS = gettext_noop("the header line has %(value)s columns, the limit is %(limit)s")
CSV_TOO_MANY_CELLS = gettext_noop(
    "the row has %(value)s cells but the header line has %(expected)s: check the separator "
    "and the quotes"
)
CSV_NO_POSITION_COLUMN = gettext_noop(
    "no position column found among the columns %(columns)s: name them latitude and "
    "longitude (or lat, y and lon, lng, long, x), or give the geometry as WKT or GeoJSON in a "
    "column named geometry, geom, wkt, the_geom or geojson"
)
CSV_NO_LONGITUDE_COLUMN = gettext_noop(
    "a latitude column %(value)s was found but no longitude column: name it longitude, lon, "
    "lng, long or x"
)
CSV_NO_LATITUDE_COLUMN = gettext_noop(
    "a longitude column %(value)s was found but no latitude column: name it latitude, lat or y"
)
CSV_EMPTY_CELL = gettext_noop("no usable position: the cell of column %(column)s is empty")
CSV_LATITUDE_NOT_NUMBER = gettext_noop("no usable position: latitude %(value)s is not a number")
CSV_LONGITUDE_NOT_NUMBER = gettext_noop("no usable position: longitude %(value)s is not a number")
CSV_LATITUDE_RANGE = gettext_noop("no usable position: latitude %(value)s is outside -90..90")
CSV_LONGITUDE_RANGE = gettext_noop("no usable position: longitude %(value)s is outside -180..180")
CSV_BAD_WKT = gettext_noop(
    "no usable position: %(value)s is not valid WKT: unexpected text at character %(position)s"
)
CSV_UNSUPPORTED_WKT = gettext_noop(
    "no usable position: the WKT type %(value)s is not supported: use POINT, LINESTRING, "
    "POLYGON or their MULTI forms"
)
CSV_EMPTY_WKT = gettext_noop("no usable position: the WKT geometry %(value)s is empty")
CSV_BAD_GEOJSON_CELL = gettext_noop(
    "no usable position: %(value)s is not a GeoJSON geometry (Point, LineString, Polygon or "
    "their Multi forms)"
)
CSV_NOTE_ENCODING = gettext_noop("the file is not UTF-8: it was read as %(value)s")

# --- GPX
GPX_NOT_GPX = gettext_noop("the file is not GPX: its root element is %(value)s, expected gpx")
GPX_NO_POINTS = gettext_noop("the GPX file has no waypoints, routes or tracks with points")
GPX_MISSING_COORDINATE = gettext_noop(
    '<%(element)s> number %(number)s has no "%(field)s" attribute'
)
GPX_BAD_NUMBER = gettext_noop(
    '<%(element)s> number %(number)s: "%(field)s" must be a number, not %(value)s'
)
GPX_NOTE_SHORT_LINE = gettext_noop(
    "<%(element)s> number %(number)s has fewer than 2 points: it was skipped"
)

# --- KML
KML_IS_JSON = gettext_noop("the file is not KML but JSON: give it a .geojson or .json name")
KML_NOT_KML = gettext_noop("the file is not KML: its root element is %(value)s, not kml")
KML_NO_PLACEMARK = gettext_noop("the file has no placemark with a geometry to import")
KML_FOLDERS_TOO_DEEP = gettext_noop(
    "folders are nested more than %(limit)s levels deep, in the folder %(value)s"
)
KML_NO_OUTER_BOUNDARY = gettext_noop("the polygon has no outer boundary (outerBoundaryIs)")
KML_NOTE_NO_GEOMETRY = gettext_noop("placemark %(value)s has no geometry: it was skipped")
KML_NOTE_UNSUPPORTED_GEOMETRY = gettext_noop(
    'KML geometry "%(name)s" is not supported: it was skipped'
)
KML_NOTE_SKIPPED_ELEMENT = gettext_noop('KML element "%(name)s" is not imported (%(count)s found)')
KML_NOTE_STYLE_VALUE = gettext_noop(
    'KML style value %(value)s in "%(name)s" cannot be read: it was ignored'
)
KMZ_NOT_ZIP = gettext_noop("the file is not a KMZ: it is not a zip archive")
KMZ_UNREADABLE = gettext_noop(
    "the KMZ archive cannot be read: it is damaged, encrypted or uses an unsupported compression"
)
KMZ_TOO_MANY_FILES = gettext_noop(
    "the KMZ archive holds too many files: %(value)s, the limit is %(limit)s"
)
KMZ_TOO_LARGE = gettext_noop("the KMZ archive unpacks to more than %(limit)s bytes")
KMZ_RATIO = gettext_noop(
    "the KMZ member %(value)s is compressed more than %(limit)s to 1: it looks like a zip bomb"
)
KMZ_UNSAFE_NAME = gettext_noop("the KMZ archive holds a file with an unsafe name: %(value)s")
KMZ_NO_KML = gettext_noop("the KMZ archive has no .kml file at its root")

# --- The declared schema (issue 12): conditional styles, labels and what uMap files bring.
RULE_NEEDS_FIELD = gettext_noop('"%(field)s" needs the property it tests')
NOTE_FILTERS_DROPPED = gettext_noop(
    "uMap's filters %(value)s were not imported: a layer has at most %(limit)s filters"
)

# --- Import breadth (issue 12, part 5): Lambert-93, open data CSV, OSM JSON, GeoRSS.
NOTE_LAMBERT93 = gettext_noop(
    "the coordinates are Lambert-93 metres (EPSG:2154): they were converted to WGS 84"
)
CSV_NOT_LAMBERT93 = gettext_noop(
    "no usable position: X %(x)s, Y %(y)s are neither degrees nor Lambert-93 (EPSG:2154) "
    "metres of France: export the file in WGS 84 (EPSG:4326) with latitude and longitude "
    "columns, or in Lambert-93 with X and Y columns"
)
CSV_BAD_GEO_POINT = gettext_noop(
    'no usable position: %(value)s is not a "latitude, longitude" pair such as "48.8566, 2.3522"'
)
CSV_NOTE_POINT_COLUMN_DROPPED = gettext_noop(
    "the column %(value)s (the centre of each shape) was not kept: the shapes of the column "
    "%(shape)s are used"
)
OSM_NOT_OSM = gettext_noop('the file is not OpenStreetMap JSON: it has no "elements" list')
OSM_NO_FEATURES = gettext_noop(
    "the OpenStreetMap file has no node, way or relation with a position to import"
)
OSM_NOTE_SKIPPED = gettext_noop(
    "OpenStreetMap %(kind)s %(id)s has no usable geometry: it was skipped"
)
OSM_NOTE_MISSING_NODES = gettext_noop(
    "OpenStreetMap %(kind)s %(id)s refers to nodes missing from the file (%(count)s): it was "
    "skipped"
)
GEORSS_NOT_FEED = gettext_noop(
    "the file is not a GeoRSS feed: its root element is %(value)s, expected rss or feed"
)
GEORSS_NO_ITEMS = gettext_noop("the feed has no item with a georss or geo position to import")
GEORSS_BAD_POSITION = gettext_noop(
    "item %(number)s: <%(element)s> must hold pairs of numbers (latitude longitude), not %(value)s"
)
GEORSS_NOTE_NO_POSITION = gettext_noop(
    "item %(number)s %(value)s has no georss or geo position: it was skipped"
)
# The same rule in every format: a feature without a geometry is skipped, with a located note;
# an unclosed ring is closed, with a located note.
NOTE_FEATURE_NO_GEOMETRY = gettext_noop("the feature has no geometry: it was skipped")
NOTE_RING_CLOSED = gettext_noop("a polygon ring did not end at its first position: it was closed")
GPX_NOTE_SHORT_LINE_NAMED = gettext_noop(
    "<%(element)s> number %(number)s of %(name)s has fewer than 2 points: it was skipped"
)
GEOJSON_NOT_LAMBERT93 = gettext_noop(
    "the file declares Lambert-93 (EPSG:2154) but holds the position %(value)s, which is not "
    'Lambert-93 metres in France: correct its "crs" member, or export it in WGS 84 '
    "(EPSG:4326)"
)
NOTE_ROW_NO_POSITION = gettext_noop(
    "the row has no position (its position cells are all empty): it was skipped"
)
NOTE_IMAGE_REMOVED = gettext_noop(
    "an image (<img>) was removed from the description: descriptions hold text and links only"
)
BAD_ICON = gettext_noop(
    '"icon" must be the name of a pictogram of the library (e.g. school, town-hall) or an '
    "icon of the site (image:12, document:12), not %(value)s"
)

# Layer groups (issue 17): "group 2 "Écoles"" names the group in each message.
BAD_GROUP_ID = gettext_noop("a group id must be 1 to 64 letters, digits, _ or -, not %(value)s")
GROUP_NOT_OBJECT = gettext_noop("group %(group)s must be a JSON object, not %(value)s")
GROUP_NAME_MISSING = gettext_noop("group %(group)s has no name")
UNKNOWN_GROUP_KEY = gettext_noop('group %(group)s: unknown key "%(key)s"')
DUPLICATE_GROUP_ID = gettext_noop(
    'group %(group)s "%(name)s": the id %(value)s is already used by group %(other)s'
)
UNKNOWN_PARENT_GROUP = gettext_noop(
    'group %(group)s "%(name)s": its parent %(value)s is not a group of this map'
)
GROUP_CYCLE = gettext_noop(
    'group %(group)s "%(name)s" is inside itself (through %(path)s): a group cannot contain '
    "its own parent"
)
GROUPS_TOO_DEEP = gettext_noop(
    'group %(group)s "%(name)s" is nested %(value)s levels deep, the limit is %(limit)s'
)
UNKNOWN_LAYER_GROUP = gettext_noop("the layer's group %(value)s is not a group of this map")
