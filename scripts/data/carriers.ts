// Who flies the generated network: a hub carrier (and its regional arm for short spokes) at
// each of a few big world hubs, and a low-cost carrier per region for point-to-point routes.
// Real airlines and hubs, so the demo data reads like a timetable.

export interface Carrier {
  code: string;
  name: string;
}

export interface Hub {
  iata: string;
  mainline: Carrier;
  /** Flies the hub's short spokes (below REGIONAL_MAX_KM) when there is one. */
  regional?: Carrier;
}

export const REGIONAL_MAX_KM = 1_200;

const c = (code: string, name: string): Carrier => ({ code, name });

export const HUBS: readonly Hub[] = [
  { iata: "ATL", mainline: c("DL", "Delta Air Lines"), regional: c("9E", "Endeavor Air") },
  { iata: "ORD", mainline: c("UA", "United Airlines"), regional: c("OO", "SkyWest Airlines") },
  { iata: "DFW", mainline: c("AA", "American Airlines"), regional: c("MQ", "Envoy Air") },
  { iata: "JFK", mainline: c("B6", "JetBlue Airways") },
  { iata: "YYZ", mainline: c("AC", "Air Canada"), regional: c("QK", "Jazz Aviation") },
  { iata: "MEX", mainline: c("AM", "Aeromexico") },
  { iata: "BOG", mainline: c("AV", "Avianca") },
  { iata: "GRU", mainline: c("LA", "LATAM Airlines") },
  { iata: "LHR", mainline: c("BA", "British Airways") },
  { iata: "CDG", mainline: c("AF", "Air France"), regional: c("A5", "HOP!") },
  { iata: "AMS", mainline: c("KL", "KLM"), regional: c("WA", "KLM Cityhopper") },
  { iata: "FRA", mainline: c("LH", "Lufthansa"), regional: c("EN", "Air Dolomiti") },
  { iata: "MAD", mainline: c("IB", "Iberia"), regional: c("YW", "Air Nostrum") },
  { iata: "IST", mainline: c("TK", "Turkish Airlines") },
  { iata: "DXB", mainline: c("EK", "Emirates"), regional: c("FZ", "flydubai") },
  { iata: "DOH", mainline: c("QR", "Qatar Airways") },
  { iata: "ADD", mainline: c("ET", "Ethiopian Airlines") },
  { iata: "JNB", mainline: c("SA", "South African Airways") },
  { iata: "DEL", mainline: c("AI", "Air India"), regional: c("9I", "Alliance Air") },
  { iata: "BKK", mainline: c("TG", "Thai Airways") },
  { iata: "SIN", mainline: c("SQ", "Singapore Airlines"), regional: c("TR", "Scoot") },
  { iata: "HKG", mainline: c("CX", "Cathay Pacific") },
  { iata: "PEK", mainline: c("CA", "Air China") },
  { iata: "PVG", mainline: c("MU", "China Eastern Airlines") },
  { iata: "CAN", mainline: c("CZ", "China Southern Airlines") },
  { iata: "ICN", mainline: c("KE", "Korean Air") },
  { iata: "HND", mainline: c("NH", "All Nippon Airways") },
  { iata: "SYD", mainline: c("QF", "Qantas") },
];

const LOW_COST_BY_COUNTRY: Record<string, Carrier> = {
  IN: c("6E", "IndiGo"),
  CN: c("3U", "Sichuan Airlines"),
  JP: c("MM", "Peach Aviation"),
  BR: c("G3", "Gol"),
  US: c("WN", "Southwest Airlines"),
};

const LOW_COST_BY_CONTINENT: Record<string, Carrier> = {
  NA: c("Y4", "Volaris"),
  SA: c("H2", "Sky Airline"),
  EU: c("FR", "Ryanair"),
  AF: c("KQ", "Kenya Airways"),
  AS: c("AK", "AirAsia"),
  OC: c("VA", "Virgin Australia"),
};

/** The carrier of a point-to-point route, by the country (or else continent) it starts in. */
export function lowCostCarrier(country: string, continent: string): Carrier {
  return LOW_COST_BY_COUNTRY[country] ?? LOW_COST_BY_CONTINENT[continent] ?? c("FR", "Ryanair");
}
