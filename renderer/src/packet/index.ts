export { PacketPane } from './PacketPane.tsx';
