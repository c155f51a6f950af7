// One file in the room's lines: its progress while it travels, then the image itself or a
// download link under its name, or what stopped it.
import type { Transfer } from "./useFiles.js";

export function FileLine({ transfer, onCancel }: { transfer: Transfer; onCancel: (id: string) => void }) {
  const { id, name, size, done, state } = transfer;
  const percent = size === 0 ? 100 : Math.floor((done * 100) / size);
  return (
    <span class="file" data-testid="file" data-transfer={id} data-state={state} data-name={name}>
      <span class="text">
        {transfer.mine ? "Your file" : "File"} <strong>{name}</strong> ({formatSize(size)})
      </span>
      {(state === "sending" || state === "arriving") && (
        <span>
          <progress data-testid="file-progress" max={100} value={percent} /> {percent}%
          {state === "sending" && (
            <button type="button" class="secondary" data-testid="file-cancel" onClick={() => onCancel(id)}>
              Cancel
            </button>
          )}
        </span>
      )}
      {state === "sent" && <span class="status"> sent</span>}
      {transfer.declinedBy !== undefined && (
        <span class="status" data-testid="file-declined">
          {" "}
          declined by {transfer.declinedBy.map((m) => `#${m}`).join(", ")}
        </span>
      )}
      {state === "cancelled" && (
        <span class="status" data-testid="file-cancelled">
          {" "}
          cancelled
        </span>
      )}
      {state === "failed" && (
        <span class="error" data-testid="file-failed">
          {" "}
          {transfer.reason}
        </span>
      )}
      {state === "received" && transfer.url !== undefined && (
        <span class="received">
          {transfer.image === true && <img data-testid="file-image" src={transfer.url} alt={name} />}
          <a data-testid="file-download" href={transfer.url} download={name}>
            Save {name}
          </a>
        </span>
      )}
    </span>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
