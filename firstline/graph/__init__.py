"""Link analysis: who is connected to whom through shared identifiers and bookings."""
