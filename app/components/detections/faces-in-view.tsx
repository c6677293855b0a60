// Issue 14 (C3, D6): the names the overlay draws on the video, as text - screen readers cannot read a canvas, and a
// name is easier to read here than on a moving box. Green = recognised staff, red = faces nobody enrolled matches.
import type { FacesInView } from "./use-live-detections";

export function FacesInViewList({ faces }: { faces: FacesInView }) {
  return (
    <div aria-live="polite" className="space-y-2 text-sm">
      {faces.known.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Recognised now">
          {faces.known.map((name) => (
            <li
              key={name}
              className="rounded-full bg-emerald-50 px-2.5 py-0.5 text-emerald-800 ring-1 ring-emerald-300"
            >
              {name}
            </li>
          ))}
        </ul>
      ) : null}
      {faces.unknown ? (
        <p className="text-red-700">{faces.unknown === 1 ? "1 unknown face" : `${faces.unknown} unknown faces`}</p>
      ) : null}
    </div>
  );
}
