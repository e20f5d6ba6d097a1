"""The words a person reads for the codes traceability stores: product categories, kinds of
location, the CBV business steps and dispositions, units of measure.

Each is a message id (``N_``), translated where it shows; a code with no word here (a sender's
own business step, say) is shown by ``said``, never as a raw URI.
"""

from __future__ import annotations

from ioc57.core.i18n import N_
from ioc57.traceability.vocab import bare

CATEGORIES = {
    "durian": N_("Durian"),
    "dragon_fruit": N_("Dragon fruit"),
    "mango": N_("Mango"),
    "coconut": N_("Coconut"),
    "pomelo": N_("Pomelo"),
    "longan": N_("Longan"),
    "rice": N_("Rice"),
    "cashew": N_("Cashew"),
    "pepper": N_("Pepper"),
    "rubber": N_("Rubber"),
    "coffee": N_("Coffee"),
    "seafood": N_("Seafood"),
    "fruit": N_("Fruit"),
    "other": N_("Other product"),
}

LOCATION_KINDS = {
    "farm": N_("Farm"),
    "packing_house": N_("Packing house"),
    "processing_plant": N_("Processing plant"),
    "warehouse": N_("Warehouse"),
    "port": N_("Port"),
    "store": N_("Store"),
    "other": N_("Place"),
}

# the business steps a lot's journey goes through; any other is "A step of the journey"
BIZ_STEPS = {
    "commissioning": N_("Harvested or made"),
    "creating_class_instance": N_("Made"),
    "receiving": N_("Received"),
    "accepting": N_("Accepted"),
    "arriving": N_("Arrived"),
    "inspecting": N_("Inspected"),
    "sampling": N_("Sampled for testing"),
    "packing": N_("Packed"),
    "unpacking": N_("Unpacked"),
    "repackaging": N_("Repacked"),
    "loading": N_("Loaded"),
    "unloading": N_("Unloaded"),
    "storing": N_("Stored"),
    "stocking": N_("Put in stock"),
    "holding": N_("Held"),
    "staging_outbound": N_("Made ready to ship"),
    "shipping": N_("Shipped"),
    "departing": N_("Departed"),
    "transporting": N_("Transported"),
    "retail_selling": N_("Sold"),
    "sensor_reporting": N_("Conditions recorded"),
    "destroying": N_("Destroyed"),
    "decommissioning": N_("Withdrawn"),
    "assembling": N_("Assembled"),
    "disassembling": N_("Taken apart"),
}
# an event with no business step, by its type
EVENT_TYPES = {
    "ObjectEvent": N_("Recorded"),
    "AggregationEvent": N_("Packed"),
    "TransformationEvent": N_("Processed"),
    "AssociationEvent": N_("Fitted with a device"),
    "TransactionEvent": N_("Traded"),
}
OTHER_STEP = N_("A step of the journey")

DISPOSITIONS = {
    "active": N_("active"),
    "in_progress": N_("in progress"),
    "in_transit": N_("in transit"),
    "conformant": N_("conformant"),
    "non_conformant": N_("not conformant"),
    "sellable_accessible": N_("on sale"),
    "sellable_not_accessible": N_("sellable"),
    "container_closed": N_("container closed"),
    "recalled": N_("recalled"),
    "destroyed": N_("destroyed"),
    "expired": N_("expired"),
    "damaged": N_("damaged"),
    "returned": N_("returned"),
}

# UN/ECE Recommendation 20 codes as a page writes them
UOMS = {"KGM": "kg", "TNE": N_("tonnes"), "GRM": "g", "LTR": N_("litres"), "CEL": "°C"}


def step_word(biz_step: str | None, event_type: str) -> str:
    """The message id of what happened: the business step's word, else the event type's; a
    transformation is "processed" whatever its step (often ``commissioning``, which would read
    "harvested or made")."""
    if biz_step and event_type != "TransformationEvent":
        return BIZ_STEPS.get(bare("bizStep", biz_step), OTHER_STEP)
    return EVENT_TYPES.get(event_type, OTHER_STEP)


def disposition_word(disposition: str | None) -> str | None:
    """The message id of a disposition's word; None for none or one with no word here."""
    if not disposition:
        return None
    return DISPOSITIONS.get(bare("disposition", disposition))
