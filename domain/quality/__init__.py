"""Quality area: inspections that lock a batch until their verdict."""
