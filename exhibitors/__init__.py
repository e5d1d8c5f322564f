"""Industry zone: sponsors and their tiers now; booths, staff, chat and leads next."""
