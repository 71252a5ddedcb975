/** A flight to add to the sample (ids 1–16), written loosely: lower case, times without a Z. */
export const NEW_FLIGHT = {
  flight_number: "6e123",
  airline: "IndiGo",
  source: "bom",
  destination: "CCU",
  departure_time: "2024-02-15T11:15:00",
  arrival_time: "2024-02-15T13:45:00+00:00",
  total_seats: 150,
  price: 4999.99,
};

/** What POST /api/flights answers for NEW_FLIGHT, normalised. */
export const NEW_FLIGHT_CREATED = {
  id: 17,
  flight_number: "6E123",
  airline: "IndiGo",
  source: "BOM",
  destination: "CCU",
  departure_time: "2024-02-15T11:15:00Z",
  arrival_time: "2024-02-15T13:45:00Z",
  total_seats: 150,
  booked_seats: 0,
  price: 4999.99,
  status: "scheduled",
  available_seats: 150,
};
