"""What officers work with: a traveller's combined risk, decisions on hits."""
