import { isPrivateAddress } from '../../server/webhooks/address';

test.each(['8.8.8.8', '93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4007:80c::200e'])(
  'lets the public address %s through',
  (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  },
);

test.each([
  '127.0.0.1',
  '127.8.9.10',
  '0.0.0.0',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  'fd00::1',
  'fe80::1',
  'ff02::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:a9fe:a9fe',
  'not an address',
])('refuses %s (loopback, private, link-local or not an address)', (address) => {
  expect(isPrivateAddress(address)).toBe(true);
});
