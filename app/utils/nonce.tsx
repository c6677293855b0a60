// The CSP nonce of the document being rendered (ADR 0012): entry.server.tsx provides it, root.tsx puts it on
// Remix's inline scripts. In the browser there is no provider and the value is "" (browsers hide nonces
// from the DOM anyway, and scripts added after load are not inline).
import { createContext, useContext } from "react";

const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
