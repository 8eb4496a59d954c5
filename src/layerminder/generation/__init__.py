"""Generation: spend a credit, create a record, run the three-stage pipeline in the background."""
