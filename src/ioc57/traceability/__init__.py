"""Product traceability on GS1 EPCIS 2.0: master data (products, locations, lots), events captured
through the gate, their query and trace, a tamper-evident log, and the public page of a lot."""
