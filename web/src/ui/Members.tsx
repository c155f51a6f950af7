// The member list is the MLS group's roster, so a member that the gateway hides, invents or
// keeps is visible to everyone. Fingerprints and the safety code are compared out of band.
import type { ChatRoom } from "../chat/room.js";

export function Members({ room, version }: { room: ChatRoom; version: number }) {
  const roster = room.roster();
  const knocking = room.isCreator ? room.knocking() : [];
  return (
    <aside class="members" data-version={version}>
      <h2>Members</h2>
      <ul data-testid="roster">
        {roster.map((entry) => (
          <li key={entry.leaf} data-member={entry.member}>
            <strong>#{entry.member}</strong>
            {entry.member === room.me ? " (you)" : ""}
            <code class="fingerprint">{entry.fingerprint}</code>
          </li>
        ))}
      </ul>
      {room.safetyCode() !== undefined && (
        <p class="safety">
          Safety code <code data-testid="safety-code">{room.safetyCode()}</code>
          <br />
          <small>The same on every member's screen when nobody sits in between.</small>
        </p>
      )}
      {knocking.length > 0 && (
        <div class="knocks" data-testid="knocks">
          <h2>Knocking</h2>
          {knocking.map((member) => (
            <p key={member} data-knock={member}>
              #{member}{" "}
              <button type="button" data-testid={`approve-${member}`} onClick={() => void room.approve(member)}>
                Let in
              </button>{" "}
              <button type="button" class="secondary" data-testid={`deny-${member}`} onClick={() => void room.deny(member)}>
                Refuse
              </button>
            </p>
          ))}
        </div>
      )}
    </aside>
  );
}
