"""refbot: Faultline's reference trading bot (Binance USD-M futures API, Python asyncio)."""
